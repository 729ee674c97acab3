namespace RclonePool.Tests.Integration.Support;

/// <summary>The tests that share one <see cref="PostgresServer"/> (started once, on first use).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
