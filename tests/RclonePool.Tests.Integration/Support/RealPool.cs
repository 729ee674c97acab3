using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Integration.Support;

/// <summary>
/// The real pool opened in-process: local-directory remotes in a temporary directory, driven through a real
/// rclone (rcd by default), with the SQLite index. For tests that serve or exercise the product itself.
/// </summary>
public sealed class RealPool : IAsyncDisposable
{
    private RealPool(string root, StoragePool pool, IRemoteStore store)
    {
        Root = root;
        Pool = pool;
        Store = store;
    }

    public string Root { get; }

    public StoragePool Pool { get; }

    public IRemoteStore Store { get; }

    public static async Task<RealPool> OpenAsync(
        int remotes = 3, long chunkSize = 1024 * 1024, bool daemon = true, Action<PoolConfig>? configure = null, ILoggerFactory? loggers = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "rclonepool-real-" + Guid.NewGuid().ToString("N")[..12]);
        var config = new PoolConfig
        {
            Remotes = [.. Enumerable.Range(1, remotes).Select(i => Path.Combine(root, "remotes", $"r{i}"))],
            ChunkSize = chunkSize,
            ManifestCacheDir = Path.Combine(root, "cache"),
            TempDir = Path.Combine(root, "tmp"),
            EnableRcloneDaemon = daemon,
            RetryDelay = 0.05,
        };
        configure?.Invoke(config);
        foreach (var remote in config.Remotes)
        {
            Directory.CreateDirectory(remote);
        }

        ConfigValidator.EnsureValid(config, "the test pool");
        var store = RemoteStoreFactory.Create(config);
        try
        {
            var layout = new PoolLayout(config.DataPrefix, config.ManifestPrefix);
            await new PoolDescriptors(store, layout).EnsureAsync(PoolRemote.FromConfig(config), TimeProvider.System, CancellationToken.None);
            var builder = new PoolBuilder(config).UseTransport(store);
            if (loggers is not null)
            {
                builder.UseLoggerFactory(loggers);
            }

            var pool = await builder.OpenAsync(CancellationToken.None);
            return new RealPool(root, pool, store);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
