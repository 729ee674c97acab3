using RclonePool.Core.Config;

namespace RclonePool.Tests.Unit.Config;

/// <summary>index_backend and index_connection_string: each mistake named by its key, with what to write instead.</summary>
public sealed class IndexBackendConfigTests
{
    private static PoolConfig Valid() => new() { Remotes = ["a:", "b:"], TempDir = "/tmp/rp", ManifestCacheDir = "/tmp/rp-cache", PluginsDir = "/tmp/rp-plugins" };

    [Fact]
    public void Sqlite_is_the_default_and_needs_no_connection_string()
    {
        Assert.Equal("sqlite", new PoolConfig().IndexBackend);
        Assert.Empty(ConfigValidator.Validate(Valid()));
    }

    [Fact]
    public void Postgresql_with_a_connection_string_is_valid()
    {
        var config = Valid();
        config.IndexBackend = "postgresql";
        config.IndexConnectionString = "Host=/run/postgresql;Database=rclonepool;Username=rclonepool";
        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Fact]
    public void An_unknown_backend_is_refused()
    {
        var config = Valid();
        config.IndexBackend = "mysql";
        var problem = Assert.Single(ConfigValidator.Validate(config));
        Assert.Equal("index_backend", problem.Key);
        Assert.Contains("postgresql", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "index_connection_string is not set")]
    [InlineData("  ", "index_connection_string is not set")]
    [InlineData("Host=db;Bogus Key=1", "is not a valid PostgreSQL connection string")]
    [InlineData("Database=rclonepool", "it names no Host")]
    public void Postgresql_without_a_usable_connection_string_is_refused(string? connectionString, string expected)
    {
        var config = Valid();
        config.IndexBackend = "postgresql";
        config.IndexConnectionString = connectionString;
        var problem = Assert.Single(ConfigValidator.Validate(config));
        Assert.Equal("index_connection_string", problem.Key);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }
}
