using RclonePool.Core.Index;
using RclonePool.Core.Index.Postgres;
using RclonePool.Tests.Integration.Support;
using RclonePool.Tests.Support.Index;

namespace RclonePool.Tests.Integration.Index;

/// <summary><see cref="PoolIndexContract"/> for <see cref="PostgresPoolIndex"/>: a database of its own per test on a real server, checked for consistency after each test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresPoolIndexContractTests(PostgresServer server) : PoolIndexContract
{
    private const string PoolId = "0123456789abcdef0123456789abcdef";
    private string? _connectionString;

    protected override async ValueTask<IPoolIndex> CreateAsync(CancellationToken cancellationToken)
    {
        _connectionString = await server.CreateDatabaseAsync();
        return await PostgresPoolIndex.OpenAsync(_connectionString, PoolId, cancellationToken: cancellationToken);
    }

    protected override async ValueTask<IPoolIndex> OpenAgainAsync(CancellationToken cancellationToken) =>
        await PostgresPoolIndex.OpenAsync(_connectionString, PoolId, cancellationToken: cancellationToken);

    protected override async ValueTask CheckAsync(IPoolIndex index) => Assert.Empty(await ((PostgresPoolIndex)index).CheckConsistencyAsync(CancellationToken.None));
}
