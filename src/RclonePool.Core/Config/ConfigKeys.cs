namespace RclonePool.Core.Config;

/// <summary>
/// Every key of the config file, in the feature document's order, with its type, default (from
/// <see cref="PoolConfig"/>), meaning and status. The loader, the writer, "did you mean" suggestions and
/// docs/configuration.md all come from this one list.
/// </summary>
public static class ConfigKeys
{
    private const string Base = "v0.1 base";
    private const string Robustness = "v0.2 robustness";
    private const string Performance = "v0.3 performance";
    private const string Balancing = "v0.4 balancing";
    private const string Redundancy = "v0.5 redundancy";
    private const string Advanced = "v0.6 advanced";
    private const string Production = "v1.0 production";

    private static readonly ConfigKey[] Keys = Build();
    private static readonly Dictionary<string, ConfigKey> ByName = Keys.ToDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>Every key, in the feature document's order.</summary>
    public static IReadOnlyList<ConfigKey> All => Keys;

    private static ConfigKey[] Build() =>
        [
            // v0.1 — base
            Key(Base, true, "remotes", ConfigTypes.StringList, c => c.Remotes, (c, v) => c.Remotes = v,
                "The rclone remotes that make up the pool, in order: \"name:\", \"name:path\" or an absolute local directory. Required; each remote at most once."),
            Key(Base, true, "chunk_size", ConfigTypes.Size, c => c.ChunkSize, (c, v) => c.ChunkSize = v,
                "Size of the chunks files are cut into, in bytes; a string with a binary unit such as \"64M\" is also read. 4 KiB to 4 GiB."),
            Key(Base, true, "data_prefix", ConfigTypes.String, c => c.DataPrefix, (c, v) => c.DataPrefix = v,
                "Directory on every remote that holds the chunk objects. A relative path of letters, digits, '.', '_', '-' and '/'; not inside manifest_prefix or around it."),
            Key(Base, true, "manifest_prefix", ConfigTypes.String, c => c.ManifestPrefix, (c, v) => c.ManifestPrefix = v,
                "Directory on every remote that holds the manifests (one per file). Same rules as data_prefix."),
            Key(Base, true, "use_crypt", ConfigTypes.Boolean, c => c.UseCrypt, (c, v) => c.UseCrypt = v,
                "Write chunks and manifests through crypt_remotes (rclone crypt) instead of remotes, so nothing readable reaches the providers."),
            Key(Base, true, "crypt_remotes", ConfigTypes.StringList, c => c.CryptRemotes, (c, v) => c.CryptRemotes = v,
                "One rclone crypt remote per pool remote, in the same order as remotes; required when use_crypt is true. Placement still measures remotes."),
            Key(Base, true, "temp_dir", ConfigTypes.String, c => c.TempDir, (c, v) => c.TempDir = v,
                "Directory for temporary files: the chunk cache (chunk-cache/<pid>-<id>/, private, removed at exit and swept when its process is gone) and sources that cannot be read twice, such as stdin. Absolute, or starting with ~/.",
                defaultText: "\"/dev/shm/rclonepool\" (or $TMPDIR/rclonepool where /dev/shm is missing)"),
            Key(Base, true, "rclone_binary", ConfigTypes.String, c => c.RcloneBinary, (c, v) => c.RcloneBinary = v,
                "The rclone executable: a name looked up on PATH, or a path."),
            Key(Base, true, "rclone_flags", ConfigTypes.StringList, c => c.RcloneFlags, (c, v) => c.RcloneFlags = v,
                "Extra arguments for every rclone invocation, one per item, e.g. [\"--fast-list\", \"--tpslimit\", \"10\"]. rclonepool's own flags come after them."),
            Key(Base, true, "webdav_port", ConfigTypes.Integer, c => c.WebdavPort, (c, v) => c.WebdavPort = v,
                "TCP port of the WebDAV server (rclonepool serve), 0..65535; 0 picks a free port."),
            Key(Base, true, "webdav_host", ConfigTypes.String, c => c.WebdavHost, (c, v) => c.WebdavHost = v,
                "Address the WebDAV server listens on; \"0.0.0.0\" for every interface."),

            // v0.2 — robustness
            Key(Robustness, true, "enable_retry", ConfigTypes.Boolean, c => c.EnableRetry, (c, v) => c.EnableRetry = v,
                "Retry remote operations that failed in a way that may pass when tried again (timeouts, connection resets, 5xx)."),
            Key(Robustness, true, "max_retries", ConfigTypes.Integer, c => c.MaxRetries, (c, v) => c.MaxRetries = v,
                "Retries after the first attempt, 0..100."),
            Key(Robustness, true, "retry_delay", ConfigTypes.Number, c => c.RetryDelay, (c, v) => c.RetryDelay = v,
                "Seconds before the first retry, 0..3600; each further retry waits twice as long (exponential backoff)."),
            Key(Robustness, true, "remote_answer_timeout", ConfigTypes.Number, c => c.RemoteAnswerTimeout, (c, v) => c.RemoteAnswerTimeout = v,
                "Seconds, 1..600: a remote that gives no sign of life for this long while a call waits on it (connection refused or reset, or a server that accepts and never answers) is marked down: the calls waiting on it end, uploads place on the other remotes and reads use other copies for 30 s, then it is tried again. A slow remote that still answers is never marked down (a cheap probe asks it before a long call is given up). Beyond the feature document."),
            Key(Robustness, true, "enable_manifest_cache", ConfigTypes.Boolean, c => c.EnableManifestCache, (c, v) => c.EnableManifestCache = v,
                "Keep the index (a SQLite cache of the manifests) under manifest_cache_dir, so ls and info need not ask the remotes."),
            Key(Robustness, true, "manifest_cache_dir", ConfigTypes.String, c => c.ManifestCacheDir, (c, v) => c.ManifestCacheDir = v,
                "Directory of the index. Absolute, or starting with ~/."),
            Key(Robustness, true, "index_backend", ConfigTypes.String, c => c.IndexBackend, (c, v) => c.IndexBackend = v,
                "Where the index lives: \"sqlite\" (a file under manifest_cache_dir, for one machine) or \"postgresql\" (a database named by index_connection_string, shared by several 'serve' gateways of one pool; docs/scaling.md). Beyond the feature document."),
            Key(Robustness, true, "index_connection_string", ConfigTypes.OptionalString, c => c.IndexConnectionString, (c, v) => c.IndexConnectionString = v,
                "Npgsql connection string of the PostgreSQL index, e.g. \"Host=db;Database=rclonepool;Username=rclonepool;Password=...\"; required when index_backend is postgresql. Each pool gets a schema of its own (rclonepool_<pool id>), created at first use. Beyond the feature document.",
                secret: true),
            Key(Robustness, true, "manifest_packing", ConfigTypes.Boolean, c => c.ManifestPacking, (c, v) => c.ManifestPacking = v,
                "Manifests written together (a directory upload of small files, a burst of WebDAV PUTs, a recursive delete) go to each remote as one pack object instead of one object each, for accounts that limit API calls; compaction ('rclonepool index compact', 'index rebuild', and serve by itself: manifest_compaction_objects) folds packs and single manifests into one pack per remote. On by default; false writes one manifest object per file and remote, as before packs. The first pack raises the pool format to 2, which rclonepool before packs refuses. Reading packs needs no setting. Beyond the feature document (docs/manifest-format.md)."),
            Key(Robustness, true, "manifest_compaction_objects", ConfigTypes.Integer, c => c.ManifestCompactionObjects, (c, v) => c.ManifestCompactionObjects = v,
                "While serve runs with manifest_packing, compact the manifests (as 'rclonepool index compact' does) once about this many manifest objects (packs and single manifests) were written to each remote since serve started or last compacted (a burst of writes puts it off until the burst ends or four times this many were written); 0 turns it off. Beyond the feature document (docs/scaling.md)."),
            Key(Robustness, true, "enable_duplicate_detection", ConfigTypes.Boolean, c => c.EnableDuplicateDetection, (c, v) => c.EnableDuplicateDetection = v,
                "An upload whose content (SHA-256) matches a file already in the pool stores no chunks: its manifest names the existing ones. Local files are hashed first only when a file of the same size exists; streams are stored, then their chunks are dropped again when they turn out to be duplicates."),

            // v0.3 — performance
            Key(Performance, true, "parallel_uploads", ConfigTypes.Boolean, c => c.ParallelUploads, (c, v) => c.ParallelUploads = v,
                "Upload a file's chunks concurrently (up to max_parallel_workers); --parallel asks for it on one command."),
            Key(Performance, true, "parallel_downloads", ConfigTypes.Boolean, c => c.ParallelDownloads, (c, v) => c.ParallelDownloads = v,
                "Download a file's chunks concurrently (up to max_parallel_workers)."),
            Key(Performance, true, "max_parallel_workers", ConfigTypes.IntegerOrAuto, c => c.MaxParallelWorkers, (c, v) => c.MaxParallelWorkers = v,
                "Chunk transfers in flight at once, 1..64, or \"auto\": 4 for a pool of local directories, else 2 per remote that is not a local directory (at least 4, at most 32), so that every account keeps a transfer going while rclone makes the round trips around the one before. A directory upload also keeps up to 4 × this many small files (up to 4 MiB and one chunk each) in flight beside them: small files cost round trips, not bandwidth."),
            Key(Performance, true, "enable_chunk_cache", ConfigTypes.Boolean, c => c.EnableChunkCache, (c, v) => c.EnableChunkCache = v,
                "Keep verified blocks of recently read chunks in private files under temp_dir (RAM-backed in /dev/shm), shared by all readers of the process, least recently used evicted first; concurrent reads of the same blocks fetch them once. Cached blocks are checked against the manifest again on every read. See docs/read-path.md."),
            Key(Performance, true, "chunk_cache_size_mb", ConfigTypes.Integer, c => c.ChunkCacheSizeMb, (c, v) => c.ChunkCacheSizeMb = v,
                "Size limit of the chunk cache in MiB (blocks cached or being fetched; RAM when temp_dir is /dev/shm), 0 or more; 0 turns the cache off."),
            Key(Performance, true, "enable_prefetch", ConfigTypes.Boolean, c => c.EnablePrefetch, (c, v) => c.EnablePrefetch = v,
                "While a stream reads sequentially from a remote slower than the cache (under 100 MiB/s, e.g. a cloud account), fetch the next chunks of its range into the chunk cache before they are asked for; the fetches stop when the reader goes away. Needs enable_chunk_cache."),
            Key(Performance, true, "prefetch_chunks", ConfigTypes.Integer, c => c.PrefetchChunks, (c, v) => c.PrefetchChunks = v,
                "How many chunks to fetch ahead of a sequential stream, 0..32."),
            Key(Performance, true, "show_progress", ConfigTypes.Boolean, c => c.ShowProgress, (c, v) => c.ShowProgress = v,
                "Show transfer progress (a live display on a terminal, periodic lines elsewhere); --no-progress turns it off for one command."),
            Key(Performance, true, "enable_rclone_daemon", ConfigTypes.Boolean, c => c.EnableRcloneDaemon, (c, v) => c.EnableRcloneDaemon = v,
                "Talk to rclone through one supervised 'rclone rcd' child process (the default transport); false runs the rclone command once per operation."),
            Key(Performance, true, "rclone_daemon_port", ConfigTypes.Integer, c => c.RcloneDaemonPort, (c, v) => c.RcloneDaemonPort = v,
                "Port of the rclone rcd child on 127.0.0.1, 0..65535; 0 (recommended) picks a free port."),
            Key(Performance, true, "local_direct_reads", ConfigTypes.Boolean, c => c.LocalDirectReads, (c, v) => c.LocalDirectReads = v,
                "Read the objects of remotes that rclone maps to a local directory (a path, a 'type = local' remote or an alias of one) straight from that directory instead of through the rclone process; the bytes are the same and are verified as always. Listings of plain object names there are read from the directory too; crypt and every other backend still go through rclone. false sends every read and listing through rclone."),
            Key(Performance, true, "local_direct_writes", ConfigTypes.Boolean, c => c.LocalDirectWrites, (c, v) => c.LocalDirectWrites = v,
                "Write the objects (chunks, manifests, pool descriptors, markers) of remotes that rclone maps to a local directory straight into that directory, through a temporary name renamed into place, instead of through the rclone process. Stats, deletes and moves of single objects there are done in the file system too; crypt and every other backend still go through rclone. false sends every write through rclone."),

            // v0.4 — balancing
            Key(Balancing, true, "balancing_strategy", ConfigTypes.String, c => c.BalancingStrategy, (c, v) => c.BalancingStrategy = v,
                "How chunks are placed: least_used (most free space first), round_robin (remotes in turn), weighted (bytes in proportion to remote_weights), random (drawn by weight) or round_robin_least_used (round robin, least used while the utilisation variance is above 10 %). Every strategy skips remotes that are full, failing or already hold a copy or shard of the chunk."),
            Key(Balancing, true, "remote_weights", ConfigTypes.NumberMap, c => c.RemoteWeights, (c, v) => c.RemoteWeights = v,
                "Remote → weight greater than 0 (default 1); higher is chosen more often, in proportion, with every strategy (weighted: bytes 2:1 for weights 2:1). Also scales the remote's share when balancing. Keys are remotes of the remotes list."),
            Key(Balancing, true, "remote_priorities", ConfigTypes.IntegerMap, c => c.RemotePriorities, (c, v) => c.RemotePriorities = v,
                "Remote → priority (integer, default 0); remotes of the highest priority that still have room take every new chunk, with every strategy. Keys are remotes of the remotes list."),
            Key(Balancing, true, "auto_rebalance", ConfigTypes.Boolean, c => c.AutoRebalance, (c, v) => c.AutoRebalance = v,
                "While serve runs, rebalance in the background: every auto_rebalance_interval seconds the utilisation variance is measured, and a rebalance (to the smaller of 5 % and rebalance_threshold) starts when it is above rebalance_threshold or when a remote of the config has just joined ('rclonepool remote add'). One at a time, logged, stopped cleanly with serve."),
            Key(Balancing, true, "rebalance_threshold", ConfigTypes.Number, c => c.RebalanceThreshold, (c, v) => c.RebalanceThreshold = v,
                "Utilisation variance in percent, 0..100, above which balance-status reports the pool as unbalanced (and auto_rebalance acts): the root mean square of how far each remote's fill lies from the pool's fill, in percent of it (0 is even; 3 full remotes and an empty 4th give 57.7)."),
            Key(Balancing, true, "auto_rebalance_interval", ConfigTypes.Integer, c => c.AutoRebalanceInterval, (c, v) => c.AutoRebalanceInterval = v,
                "Seconds between two checks of auto_rebalance, 1 or more; also the least time from the end of one automatic rebalance to the start of the next."),
            Key(Balancing, true, "draining_remotes", ConfigTypes.StringList, c => c.DrainingRemotes, (c, v) => c.DrainingRemotes = v,
                "Remotes being emptied ('rclonepool remote drain' adds to it): they get no new data, and 'remote drain' and 'rebalance' move every chunk object off them, never leaving a chunk with fewer copies or shards than its mode asks. Items are remotes of the remotes list."),

            // v0.5 — redundancy
            Key(Redundancy, true, "redundancy_mode", ConfigTypes.String, c => c.RedundancyMode, (c, v) => c.RedundancyMode = v,
                "none, replication (replication_factor copies of every chunk), parity (Reed-Solomon, parity_data_shards + parity_parity_shards per stripe) or hybrid (chunks shorter than one stripe row of k 256 KiB blocks get max(replication_factor, m + 1) copies, longer chunks parity)."),
            Key(Redundancy, true, "replication_factor", ConfigTypes.Integer, c => c.ReplicationFactor, (c, v) => c.ReplicationFactor = v,
                "Copies of each chunk, each on a different remote, 1..number of remotes (checked when redundancy_mode is replication or hybrid)."),
            Key(Redundancy, true, "parity_data_shards", ConfigTypes.Integer, c => c.ParityDataShards, (c, v) => c.ParityDataShards = v,
                "k: data chunks per Reed-Solomon stripe, 1 or more; k + m at most 256 and, in parity or hybrid mode, at most the number of remotes."),
            Key(Redundancy, true, "parity_parity_shards", ConfigTypes.Integer, c => c.ParityParityShards, (c, v) => c.ParityParityShards = v,
                "m: parity chunks per stripe, 1 or more; any m remotes can be lost without losing a file."),
            Key(Redundancy, true, "enable_health_monitoring", ConfigTypes.Boolean, c => c.EnableHealthMonitoring, (c, v) => c.EnableHealthMonitoring = v,
                "While serving, check the health of the pool (every remote listed, every stored object's existence and size; see docs/redundancy.md) every health_check_interval seconds, log a warning when something is not healthy, and publish HEALTH_CHECKED."),
            Key(Redundancy, true, "health_check_interval", ConfigTypes.Integer, c => c.HealthCheckInterval, (c, v) => c.HealthCheckInterval = v,
                "Seconds between health checks, 1 or more."),

            // v0.6 — advanced
            Key(Advanced, true, "enable_deduplication", ConfigTypes.Boolean, c => c.EnableDeduplication, (c, v) => c.EnableDeduplication = v,
                "Store identical chunks once: new chunk objects are named by a keyed hash (HMAC-SHA256 with a secret kept in the pool descriptor) of their content and reused across files, in every redundancy mode; a delete leaves them to 'rclonepool orphans', which removes what no manifest names. Files already stored keep their form (docs/efficiency.md)."),
            Key(Advanced, true, "chunking", ConfigTypes.String, c => c.Chunking, (c, v) => c.Chunking = v,
                "How new uploads are cut into chunks: fixed (every chunk_size bytes) or cdc (content-defined, FastCDC-style gear hash: boundaries follow the content, so an insertion near the start of a file changes only the chunks around it and the rest deduplicate). cdc needs enable_deduplication and uses the three cdc_* sizes instead of chunk_size. Files already stored keep their chunks; reads never depend on it (docs/efficiency.md)."),
            Key(Advanced, true, "cdc_min_chunk_size", ConfigTypes.Size, c => c.CdcMinChunkSize, (c, v) => c.CdcMinChunkSize = v,
                "With chunking cdc: no chunk but a file's last is shorter. Same size forms as chunk_size; 4 KiB to 4 GiB, at most cdc_avg_chunk_size and below cdc_max_chunk_size."),
            Key(Advanced, true, "cdc_avg_chunk_size", ConfigTypes.Size, c => c.CdcAvgChunkSize, (c, v) => c.CdcAvgChunkSize = v,
                "With chunking cdc: the size chunks cluster around (normalized chunking); a power of two, because a cut is tested with a mask of log2(average) bits. 4 KiB to 4 GiB."),
            Key(Advanced, true, "cdc_max_chunk_size", ConfigTypes.Size, c => c.CdcMaxChunkSize, (c, v) => c.CdcMaxChunkSize = v,
                "With chunking cdc: a chunk that reaches this size is cut there whatever its content; at least cdc_avg_chunk_size, 4 GiB at most."),
            Key(Advanced, true, "enable_compression", ConfigTypes.Boolean, c => c.EnableCompression, (c, v) => c.EnableCompression = v,
                "Compress new chunks with zstd, each 256 KiB hash block on its own (so a seek decompresses one or two blocks), before encryption and upload; a block stays compressed only when that makes it smaller, and a chunk whose first block does not shrink (video, archives) is stored as it is. Files already stored keep their form (docs/efficiency.md)."),
            Key(Advanced, true, "compression_level", ConfigTypes.Integer, c => c.CompressionLevel, (c, v) => c.CompressionLevel = v,
                "zstd level for new chunks, 1..22: 1-3 fast, higher levels smaller and slower to write (reading costs about the same)."),
            Key(Advanced, true, "bandwidth_limit_upload_mbps", ConfigTypes.Number, c => c.BandwidthLimitUploadMbps, (c, v) => c.BandwidthLimitUploadMbps = v,
                "Limit of the bytes sent to the remotes, in megabits per second (10^6 bits, as network links are quoted), shared by every transfer of the process (all remotes, all clients of serve); 0 or more, 0 means unlimited. --bwlimit-up overrides it for one command."),
            Key(Advanced, true, "bandwidth_limit_download_mbps", ConfigTypes.Number, c => c.BandwidthLimitDownloadMbps, (c, v) => c.BandwidthLimitDownloadMbps = v,
                "Limit of the bytes read from the remotes, in megabits per second (10^6 bits), shared by every transfer of the process; 0 or more, 0 means unlimited. --bwlimit-down overrides it for one command."),
            Key(Advanced, true, "webdav_auth_method", ConfigTypes.String, c => c.WebdavAuthMethod, (c, v) => c.WebdavAuthMethod = v,
                "none, basic (HTTP Basic against webdav_users), api_key (a key of webdav_api_keys in the X-API-Key header) or bearer (a key of webdav_api_keys as Authorization: Bearer). " +
                "Every method and path asks for it except /healthz and /readyz; 'serve' refuses none on an address beyond loopback unless given --insecure-no-auth."),
            Key(Advanced, true, "webdav_users", ConfigTypes.StringMap, c => c.WebdavUsers, (c, v) => c.WebdavUsers = v,
                "User name → password hash (PBKDF2-SHA256, 600,000 iterations; never a plain password), written by 'rclonepool user add NAME'; needed by basic authentication. User names may not contain ':'.",
                secret: true),
            Key(Advanced, true, "webdav_api_keys", ConfigTypes.KeyHashMap, c => c.WebdavApiKeys, (c, v) => c.WebdavApiKeys = v,
                "Key name → SHA-256 of the key (never the key itself), written by 'rclonepool key create NAME', which prints the key once; used by api_key and bearer authentication.",
                secret: true),
            Key(Advanced, true, "enable_https", ConfigTypes.Boolean, c => c.EnableHttps, (c, v) => c.EnableHttps = v,
                "Serve over HTTPS (TLS 1.2 and 1.3; HTTP/1.1 and HTTP/2). With ssl_cert_file and ssl_key_file both unset, a self-signed certificate is generated once beside the config file and reused; its SHA-256 fingerprint is printed at start."),
            Key(Advanced, true, "ssl_cert_file", ConfigTypes.OptionalString, c => c.SslCertFile, (c, v) => c.SslCertFile = v,
                "PEM certificate for HTTPS; set together with ssl_key_file. Must exist when enable_https is true. Replacing the files on disk takes effect for new connections without a restart."),
            Key(Advanced, true, "ssl_key_file", ConfigTypes.OptionalString, c => c.SslKeyFile, (c, v) => c.SslKeyFile = v,
                "PEM private key for HTTPS; set together with ssl_cert_file. Must exist when enable_https is true."),
            Key(Advanced, true, "enable_webui", ConfigTypes.Boolean, c => c.EnableWebui, (c, v) => c.EnableWebui = v,
                "Serve the web UI from serve: a browser opening / or a directory's URL gets the dashboard and file browser (docs/webui.md); WebDAV clients still get WebDAV at the same URLs. Its files are built into the executable (no CDN)."),

            // v1.0 — production
            Key(Production, true, "enable_api_server", ConfigTypes.Boolean, c => c.EnableApiServer, (c, v) => c.EnableApiServer = v,
                "Make 'serve' also listen on api_server_host:api_server_port with the REST API at /api/v1 (docs/api.md); 'serve' always has it under /_rclonepool/api/v1, and 'rclonepool api' serves it alone."),
            Key(Production, true, "api_server_host", ConfigTypes.String, c => c.ApiServerHost, (c, v) => c.ApiServerHost = v,
                "Address the API server ('rclonepool api', or 'serve' with enable_api_server) listens on; --host overrides it for 'api'."),
            Key(Production, true, "api_server_port", ConfigTypes.Integer, c => c.ApiServerPort, (c, v) => c.ApiServerPort = v,
                "TCP port of the API server, 0..65535; 0 picks a free port."),
            Key(Production, true, "api_upload_roots", ConfigTypes.StringList, c => c.ApiUploadRoots, (c, v) => c.ApiUploadRoots = v,
                "Local directories (absolute, or starting with ~/) whose files the REST API's JSON upload form ({\"local_path\", \"remote_path\"}) may read into the pool. Empty (the default) refuses that form with 403; multipart uploads need no root."),
            Key(Production, true, "enable_plugins", ConfigTypes.Boolean, c => c.EnablePlugins, (c, v) => c.EnablePlugins = v,
                "Load the .NET plugin assemblies of plugins_dir when a pool opens (each in its own load context) and use those named in enabled_plugins (docs/plugins.md)."),
            Key(Production, true, "plugins_dir", ConfigTypes.String, c => c.PluginsDir, (c, v) => c.PluginsDir = v,
                "Directory of plugin assemblies, one subdirectory per plugin ('plugins load' puts them there). Absolute, or starting with ~/. It must belong to the user running rclonepool and not be writable by group or others, or no plugin loads."),
            Key(Production, true, "enabled_plugins", ConfigTypes.StringList, c => c.EnabledPlugins, (c, v) => c.EnabledPlugins = v,
                "The plugins in use, as TYPE:NAME (\"balancer:fill_first\"); 'plugins enable' and 'plugins disable' edit it. At most one balancer and one transformer."),
            Key(Production, true, "plugin_settings", ConfigTypes.SettingsMap, c => c.PluginSettings, (c, v) => c.PluginSettings = v,
                "Settings handed to a plugin when it starts, by TYPE:NAME: {\"event_handler:webhook\": {\"url\": \"http://127.0.0.1:9000/hook\"}}."),
            Key(Production, true, "plugin_timeout", ConfigTypes.Number, c => c.PluginTimeout, (c, v) => c.PluginTimeout = v,
                "Seconds a plugin call may take (a balancer's choice, a transformer's block, an event handler's event) before it counts as failed; a plugin that fails 3 times in a row is disabled until the next start. 0.05 to 600."),
            Key(Production, true, "event_commands", ConfigTypes.CommandMap, c => c.EventCommands, (c, v) => c.EventCommands = v,
                "Commands run on events, by hook name: {\"CHUNK_MISSING\": [\"/usr/local/bin/notify\", \"--urgent\"]}. The command (an argv list, no shell) gets the event as one JSON object on stdin (hook, time, path, bytes, total_bytes, remote, chunk, operation, message); its output is logged, and it is stopped after event_command_timeout. Runs in the CLI and in serve; a bounded queue, so it never slows the pool."),
            Key(Production, true, "event_command_timeout", ConfigTypes.Number, c => c.EventCommandTimeout, (c, v) => c.EventCommandTimeout = v,
                "Seconds an event command may run before it is killed. 0.1 to 3600."),
            Key(Production, true, "log_level", ConfigTypes.String, c => c.LogLevel, (c, v) => c.LogLevel = v,
                "DEBUG, INFO, WARNING, ERROR or CRITICAL, in any case; each shows its namesake level and above on stderr. INFO adds one line per file stored, moved, deleted or restored; WARNING shows only what needs attention. --verbose is DEBUG."),
            Key(Production, true, "enable_metrics", ConfigTypes.Boolean, c => c.EnableMetrics, (c, v) => c.EnableMetrics = v,
                "Expose Prometheus metrics: serve (and api) add a listener on their host at metrics_port that answers only GET /metrics, with the server's authentication (docs/metrics.md)."),
            Key(Production, true, "metrics_port", ConfigTypes.Integer, c => c.MetricsPort, (c, v) => c.MetricsPort = v,
                "TCP port of the metrics endpoint, 0..65535; 0 picks a free port. Must differ from the server's own port."),
            Key(Production, true, "users", UserPoolsType.Instance, c => c.Users, (c, v) => c.Users = v,
                "Multi-user serving (docs/multi-user.md): user name → {\"config\": PATH, \"quota_bytes\": N, \"quota_files\": N}. 'serve' and 'api' then host one isolated pool per user, opened from that user's own config file (absolute, or starting with ~/; its own remotes, index and cache) on the user's first request; each request acts only on the pool of the user it authenticated as (a password of webdav_users, or a key of webdav_api_keys named USER or USER:LABEL), who sees it at /. Quotas (0 or missing: none) count the files' logical bytes and the files, are checked before any byte is stored (WebDAV 507, API 507, CLI exit code 7), and apply to 'rclonepool --user NAME' commands too. Empty (the default): one pool, this config's."),
        ];

    /// <summary>The key named exactly <paramref name="name"/>, or null.</summary>
    public static ConfigKey? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The key an unknown name was probably meant to be ("chunk_szie" → "chunk_size"), or null.</summary>
    public static string? Suggest(string unknownName) => NearestName.Find(unknownName, ByName.Keys);

    /// <summary>
    /// Keys of features that do not run yet and that <paramref name="config"/> sets to something other than
    /// the default, so a host can say "accepted, not active yet" at start.
    /// </summary>
    public static IReadOnlyList<ConfigKey> InactiveKeysInUse(PoolConfig config)
    {
        // A loaded config has its paths expanded; compare with defaults expanded the same way.
        var expandedDefaults = new PoolConfig();
        ConfigLoader.Normalise(expandedDefaults, ConfigEnvironment.Process);
        return [.. All.Where(k => !k.Active && !k.HasDefaultValue(config) && !k.ValueEquals(config, expandedDefaults))];
    }

    private static ConfigKey<T> Key<T>(
        string section,
        bool active,
        string name,
        ConfigType<T> type,
        Func<PoolConfig, T> get,
        Action<PoolConfig, T> set,
        string description,
        string? defaultText = null,
        bool secret = false) =>
        new(name, section, active, type, get, set, description, defaultText, secret);
}
