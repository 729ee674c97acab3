namespace RclonePool.Core.Config;

/// <summary>
/// The pool configuration: every key of the feature document, with its exact JSON name (snake_case of the
/// property). Defaults live here and nowhere else. <see cref="ConfigLoader"/> reads and validates it.
/// Keys of features that are not active yet are accepted and validated; docs/configuration.md says which.
/// </summary>
public sealed class PoolConfig
{
    // v0.1 — base
    public List<string> Remotes { get; set; } = [];
    public long ChunkSize { get; set; } = 100L * 1024 * 1024;
    public string DataPrefix { get; set; } = "rclonepool_data";
    public string ManifestPrefix { get; set; } = "rclonepool_manifests";
    public bool UseCrypt { get; set; }
    public List<string> CryptRemotes { get; set; } = [];
    public string TempDir { get; set; } = DefaultTempDir();
    public string RcloneBinary { get; set; } = "rclone";
    public List<string> RcloneFlags { get; set; } = [];
    public int WebdavPort { get; set; } = 8080;
    public string WebdavHost { get; set; } = "127.0.0.1";

    // v0.2 — robustness
    public bool EnableRetry { get; set; } = true;
    public int MaxRetries { get; set; } = 3;
    public double RetryDelay { get; set; } = 1.0;
    public double RemoteAnswerTimeout { get; set; } = 5.0;
    public bool EnableManifestCache { get; set; } = true;
    public string ManifestCacheDir { get; set; } = "~/.cache/rclonepool";
    public string IndexBackend { get; set; } = "sqlite";
    public string? IndexConnectionString { get; set; }
    public bool EnableDuplicateDetection { get; set; } = true;

    public bool ManifestPacking { get; set; } = true;

    public int ManifestCompactionObjects { get; set; } = 1000;

    // v0.3 — performance
    public bool ParallelUploads { get; set; } = true;
    public bool ParallelDownloads { get; set; } = true;
    /// <summary>Chunk transfers in flight; null ("auto") lets the pool choose from its remotes (<see cref="Pool.TransferConcurrency"/>).</summary>
    public int? MaxParallelWorkers { get; set; }
    public bool EnableChunkCache { get; set; } = true;
    public int ChunkCacheSizeMb { get; set; } = 500;
    public bool EnablePrefetch { get; set; } = true;
    public int PrefetchChunks { get; set; } = 2;
    public bool ShowProgress { get; set; } = true;
    public bool EnableRcloneDaemon { get; set; } = true;
    public int RcloneDaemonPort { get; set; }
    public bool LocalDirectReads { get; set; } = true;
    public bool LocalDirectWrites { get; set; } = true;

    // v0.4 — balancing
    public string BalancingStrategy { get; set; } = "least_used";
    public Dictionary<string, double> RemoteWeights { get; set; } = [];
    public Dictionary<string, int> RemotePriorities { get; set; } = [];
    public bool AutoRebalance { get; set; }
    public double RebalanceThreshold { get; set; } = 10.0;
    public int AutoRebalanceInterval { get; set; } = 300;
    public List<string> DrainingRemotes { get; set; } = [];

    // v0.5 — redundancy
    public string RedundancyMode { get; set; } = "none";
    public int ReplicationFactor { get; set; } = 2;
    public int ParityDataShards { get; set; } = 3;
    public int ParityParityShards { get; set; } = 1;
    public bool EnableHealthMonitoring { get; set; }
    public int HealthCheckInterval { get; set; } = 3600;

    // v0.6 — advanced
    public bool EnableDeduplication { get; set; }
    public string Chunking { get; set; } = "fixed";
    public long CdcMinChunkSize { get; set; } = 1L * 1024 * 1024;
    public long CdcAvgChunkSize { get; set; } = 4L * 1024 * 1024;
    public long CdcMaxChunkSize { get; set; } = 16L * 1024 * 1024;
    public bool EnableCompression { get; set; }
    public int CompressionLevel { get; set; } = 3;
    public double BandwidthLimitUploadMbps { get; set; }
    public double BandwidthLimitDownloadMbps { get; set; }
    public string WebdavAuthMethod { get; set; } = "none";
    public Dictionary<string, string> WebdavUsers { get; set; } = [];
    public Dictionary<string, string> WebdavApiKeys { get; set; } = [];
    public bool EnableHttps { get; set; }
    public string? SslCertFile { get; set; }
    public string? SslKeyFile { get; set; }
    public bool EnableWebui { get; set; } = true;

    // v1.0 — production
    public bool EnableApiServer { get; set; }
    public string ApiServerHost { get; set; } = "127.0.0.1";
    public int ApiServerPort { get; set; } = 8081;
    public List<string> ApiUploadRoots { get; set; } = [];
    public bool EnablePlugins { get; set; }
    public string PluginsDir { get; set; } = "~/.config/rclonepool/plugins";
    public List<string> EnabledPlugins { get; set; } = [];
    public Dictionary<string, Dictionary<string, string>> PluginSettings { get; set; } = [];
    public double PluginTimeout { get; set; } = 5;
    public Dictionary<string, List<string>> EventCommands { get; set; } = [];
    public double EventCommandTimeout { get; set; } = 30;
    public string LogLevel { get; set; } = "INFO";
    public bool EnableMetrics { get; set; }
    public int MetricsPort { get; set; } = 9090;
    public Dictionary<string, UserPoolSpec> Users { get; set; } = [];

    /// <summary>The remote that stores data for pool remote <paramref name="index"/>: its crypt overlay when <see cref="UseCrypt"/>.</summary>
    public string StorageRemote(int index) => UseCrypt ? CryptRemotes[index] : Remotes[index];

    private static string DefaultTempDir() =>
        Directory.Exists("/dev/shm") ? "/dev/shm/rclonepool" : Path.Combine(Path.GetTempPath(), "rclonepool");
}
