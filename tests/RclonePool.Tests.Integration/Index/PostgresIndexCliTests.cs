using Npgsql;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Index;

/// <summary>The real CLI with index_backend postgresql: the index rebuilt from the remotes alone, and a server that cannot be reached.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresIndexCliTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Index_rebuild_refills_a_lost_postgresql_index_from_the_remotes_alone()
    {
        var connectionString = await server.CreateDatabaseAsync();
        await using var pool = await LocalPool.CreateAsync(remotes: 3, configure: c =>
        {
            c["index_backend"] = "postgresql";
            c["index_connection_string"] = connectionString;
        });
        var big = LocalPool.RandomBytes(900_000, 5);
        var source = Path.Combine(pool.Root, "local", "big.bin");
        await File.WriteAllBytesAsync(source, big, Ct);
        await pool.OkAsync("upload", source, "/films/big.bin");
        await File.WriteAllTextAsync(Path.Combine(pool.Root, "local", "small.txt"), "small", Ct);
        await pool.OkAsync("upload", Path.Combine(pool.Root, "local", "small.txt"), "/notes/small.txt");
        var before = (await pool.OkAsync("ls", "-R")).StdOut;

        // The whole index goes: every schema of the database.
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var drop = new NpgsqlCommand(
                "DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rclonepool_%' LOOP EXECUTE format('DROP SCHEMA %I CASCADE', s); END LOOP; END $$",
                connection);
            await drop.ExecuteNonQueryAsync(Ct);
        }

        NpgsqlConnection.ClearAllPools();
        await pool.OkAsync("index", "rebuild");

        Assert.Equal(before, (await pool.OkAsync("ls", "-R")).StdOut);
        var target = Path.Combine(pool.Root, "local", "back.bin");
        await pool.OkAsync("download", "/films/big.bin", target);
        Assert.Equal(big, await File.ReadAllBytesAsync(target, Ct));
        Assert.True(
            !Directory.Exists(pool.CacheDir) || Directory.GetFiles(pool.CacheDir, "*.sqlite", SearchOption.AllDirectories).Length == 0,
            "a SQLite index was made beside the PostgreSQL one");
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_named_with_what_to_check()
    {
        var missing = Path.Combine(Path.GetTempPath(), "rclonepool-no-pg-" + Guid.NewGuid().ToString("N")[..8]);
        await using var pool = await LocalPool.CreateAsync(remotes: 2, configure: c =>
        {
            c["index_backend"] = "postgresql";
            c["index_connection_string"] = $"Host={missing};Database=rclonepool;Username=postgres;Timeout=3";
        });

        var result = await pool.RunAsync("ls");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("cannot be reached", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("index_connection_string", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_connection_string_is_refused_naming_the_key()
    {
        await using var pool = await LocalPool.CreateAsync(remotes: 2, configure: c => c["index_backend"] = "postgresql", init: false);

        var result = await pool.RunAsync("ls");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("index_connection_string", result.StdErr, StringComparison.Ordinal);
    }
}
