using RclonePool.Core.Config;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Unit.Support;

/// <summary>A pool over an in-memory store with a real SQLite index in a temporary directory.</summary>
internal sealed class TestPool : IAsyncDisposable
{
    private TestPool(StoragePool pool, string directory)
    {
        Pool = pool;
        Directory = directory;
    }

    public StoragePool Pool { get; }

    public string Directory { get; }

    public static PoolConfig Config(string cacheDir, params string[] remotes) => new()
    {
        Remotes = [.. remotes],
        ChunkSize = 64 * 1024,
        ManifestCacheDir = cacheDir,
        MaxParallelWorkers = 3,
        RetryDelay = 0.001,
        TempDir = Path.Combine(cacheDir, "tmp"),
    };

    /// <param name="build">Sets parts of the pool (a read policy, a balancer …) on its builder.</param>
    public static async Task<TestPool> CreateAsync(IRemoteStore store, Action<PoolConfig>? configure = null, string? directory = null, Action<PoolBuilder>? build = null)
    {
        directory ??= Path.Combine(Path.GetTempPath(), "rclonepool-unit-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var config = Config(directory, "a:", "b:", "c:");
        configure?.Invoke(config);
        var remotes = PoolRemote.FromConfig(config);
        await new PoolDescriptors(store, new PoolLayout(config.DataPrefix, config.ManifestPrefix)).EnsureAsync(remotes, TimeProvider.System, CancellationToken.None);
        var builder = new PoolBuilder(config).UseTransport(store);
        build?.Invoke(builder);
        var pool = await builder.OpenAsync(CancellationToken.None);
        return new TestPool(pool, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
