using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Paths;
using RclonePool.Core.Plugins;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Plugins;

/// <summary>
/// Pools over two local directories through a real rclone and the sample storage_backend plugin's directory
/// (<c>plugin=directory</c>), all under one temporary root that outlives each pool, so a test can close a pool and open it
/// again with another config (the plugin disabled, the remote draining, a new index). The sample plugins are placed in a
/// plugins_dir of the right mode, as a user would.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class BackendPool : IDisposable
{
    public const string PluginRemote = "plugin=directory";
    public const int Chunk = 256 * 1024;
    private readonly CapturingLoggerProvider _log = new();
    private int _opened;

    public BackendPool()
    {
        Root = Path.Combine(Path.GetTempPath(), "rclonepool-backend-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Root);
        PluginsDir = PluginBuilds.CreatePluginsDir(Root);
        PluginBuilds.Place(PluginsDir, PluginBuilds.Sample("DirectoryStore"));
        PluginBuilds.Place(PluginsDir, PluginBuilds.Sample("TieredChunker"));
        Loggers = LoggerFactory.Create(b => b.AddProvider(_log).SetMinimumLevel(LogLevel.Information));
    }

    public string Root { get; }

    public string PluginsDir { get; }

    /// <summary>The directory the storage_backend plugin keeps its objects in.</summary>
    public string StoreDir => Path.Combine(Root, "store");

    public ILoggerFactory Loggers { get; }

    public IReadOnlyList<string> Messages => [.. _log.Entries.Select(e => e.Message)];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Two local remotes and the plugin remote, two copies of each chunk, the directory plugin enabled.</summary>
    public PoolConfig Config(params string[] enabled) => new()
    {
        Remotes = [Path.Combine(Root, "r1"), Path.Combine(Root, "r2"), PluginRemote],
        ChunkSize = Chunk,
        ManifestCacheDir = Path.Combine(Root, "cache"),
        TempDir = Path.Combine(Root, "tmp"),
        RetryDelay = 0.05,
        RedundancyMode = "replication",
        ReplicationFactor = 2,
        EnablePlugins = true,
        PluginsDir = PluginsDir,
        EnabledPlugins = enabled.Length == 0 ? ["storage_backend:directory"] : [.. enabled],
        PluginSettings = new() { ["storage_backend:directory"] = new() { ["path"] = StoreDir } },
        PluginTimeout = 10,
    };

    /// <summary>Opens a pool of <paramref name="config"/>, writing the pool descriptors first (as init does) on the first open.</summary>
    public async Task<StoragePool> OpenAsync(PoolConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var local in config.Remotes.Where(Path.IsPathRooted))
        {
            Directory.CreateDirectory(local);
        }

        ConfigValidator.EnsureValid(config, "the test pool");
        if (Interlocked.Increment(ref _opened) == 1)
        {
            await using var plugins = PoolPlugins.Load(config, Loggers.CreateLogger("init"));
            await using var store = plugins.WrapTransport(RemoteStoreFactory.Create(config));
            await new PoolDescriptors(store, new PoolLayout(config.DataPrefix, config.ManifestPrefix)).EnsureAsync(PoolRemote.FromConfig(config), TimeProvider.System, Ct);
        }

        return await new PoolBuilder(config).UseLoggerFactory(Loggers).OpenAsync(Ct);
    }

    public static async Task<byte[]> PutAsync(StoragePool pool, string path, int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        await pool.PutAsync(PoolPath.Parse(path), new MemoryStream(data), length, PutOptions.Default, Ct);
        return data;
    }

    public static async Task<byte[]> ReadAsync(StoragePool pool, string path)
    {
        await using var stream = await pool.OpenDownloadAsync(PoolPath.Parse(path), Ct);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    /// <summary>The files under <paramref name="folder"/> of the plugin's directory.</summary>
    public IReadOnlyList<string> StoreFiles(string folder) =>
        Directory.Exists(Path.Combine(StoreDir, folder)) ? [.. Directory.EnumerateFiles(Path.Combine(StoreDir, folder), "*", SearchOption.AllDirectories)] : [];

    public void Dispose()
    {
        Loggers.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
