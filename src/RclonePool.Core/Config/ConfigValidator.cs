using System.Globalization;

namespace RclonePool.Core.Config;

/// <summary>
/// Range and cross-key checks of a parsed config. <see cref="Validate"/> returns every problem, each a
/// sentence naming the key, its value and what is allowed; <see cref="EnsureValid"/> throws them as one
/// BadInput <see cref="Errors.PoolException"/>. Remote rules are in ConfigValidator.Remotes.cs.
/// </summary>
public static partial class ConfigValidator
{
    /// <summary>The smallest chunk_size: 4 KiB, small enough for tests that need many chunks from tiny files.</summary>
    public const long MinChunkSize = 4L * 1024;

    /// <summary>The largest chunk_size: 4 GiB.</summary>
    public const long MaxChunkSize = 4L * 1024 * 1024 * 1024;

    /// <summary>The most shards a Reed-Solomon stripe over GF(2^8) can have (k + m).</summary>
    public const int MaxStripeWidth = 256;

    public static IReadOnlyList<string> BalancingStrategies { get; } = ["least_used", "round_robin", "weighted", "random", "round_robin_least_used"];

    public static IReadOnlyList<string> IndexBackends { get; } = ["sqlite", "postgresql"];

    public static IReadOnlyList<string> RedundancyModes { get; } = ["none", "replication", "parity", "hybrid"];

    public static IReadOnlyList<string> AuthMethods { get; } = ["none", "basic", "api_key", "bearer"];

    /// <summary>The log levels; the config may write them in any case.</summary>
    public static IReadOnlyList<string> LogLevels { get; } = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

    /// <summary>Every problem of <paramref name="config"/>; empty when it is valid.</summary>
    public static IReadOnlyList<ConfigProblem> Validate(PoolConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<ConfigProblem>();
        CheckRemotes(config, problems);
        CheckChunking(config, problems);
        CheckContentDefinedChunking(config, problems);
        CheckLocalPaths(config, problems);
        CheckNumbers(config, problems);
        CheckRedundancy(config, problems);
        CheckServer(config, problems);
        CheckPlugins(config, problems);
        CheckUsers(config, problems);
        return problems;
    }

    /// <summary>Throws a BadInput <see cref="Errors.PoolException"/> listing every problem; <paramref name="source"/> names the config.</summary>
    public static void EnsureValid(PoolConfig config, string source)
    {
        var problems = Validate(config);
        if (problems.Count > 0)
        {
            throw ConfigErrors.Invalid(source, problems);
        }
    }

    private static void CheckChunking(PoolConfig config, List<ConfigProblem> problems)
    {
        if (config.ChunkSize is < MinChunkSize or > MaxChunkSize)
        {
            var shown = config.ChunkSize < 0
                ? config.ChunkSize.ToString(CultureInfo.InvariantCulture)
                : $"{config.ChunkSize} ({SizeParser.Format(config.ChunkSize)})";
            problems.Add(new("chunk_size",
                $"chunk_size is {shown}; it must be between {SizeParser.Format(MinChunkSize)} ({MinChunkSize}) and {SizeParser.Format(MaxChunkSize)} ({MaxChunkSize}) bytes."));
        }

        CheckPrefix("data_prefix", config.DataPrefix, problems);
        CheckPrefix("manifest_prefix", config.ManifestPrefix, problems);
        var data = config.DataPrefix.TrimEnd('/');
        var manifests = config.ManifestPrefix.TrimEnd('/');
        if (data.Length > 0 && string.Equals(data, manifests, StringComparison.Ordinal))
        {
            problems.Add(new("manifest_prefix", $"data_prefix and manifest_prefix are both {Quote(data)}; chunks and manifests need different directories."));
        }
        else if (data.Length > 0 && manifests.Length > 0)
        {
            if (manifests.StartsWith(data + "/", StringComparison.Ordinal))
            {
                problems.Add(new("manifest_prefix", $"manifest_prefix {Quote(manifests)} is inside data_prefix {Quote(data)}; they must be separate directories."));
            }
            else if (data.StartsWith(manifests + "/", StringComparison.Ordinal))
            {
                problems.Add(new("data_prefix", $"data_prefix {Quote(data)} is inside manifest_prefix {Quote(manifests)}; they must be separate directories."));
            }
        }
    }

    private static void CheckPrefix(string key, string value, List<ConfigProblem> problems)
    {
        string? reason = null;
        if (value.Length == 0)
        {
            reason = "it is empty";
        }
        else if (value.StartsWith('/'))
        {
            reason = "it starts with '/'";
        }
        else if (value.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/')) is var bad && bad != default)
        {
            reason = char.IsControl(bad) ? "it contains a control character" : $"it contains '{bad}'";
        }
        else if (value.TrimEnd('/').Split('/').Any(s => s is "" or "." or ".."))
        {
            reason = "it has an empty, '.' or '..' part";
        }

        if (reason is not null)
        {
            problems.Add(new(key,
                $"{key} {Quote(value)} is not a safe directory name: {reason}; use letters, digits, '_', '-', '.' and '/' between names, e.g. \"rclonepool_data\"."));
        }
    }

    private static void CheckLocalPaths(PoolConfig config, List<ConfigProblem> problems)
    {
        CheckLocalPath("temp_dir", config.TempDir, problems);
        CheckLocalPath("manifest_cache_dir", config.ManifestCacheDir, problems);
        CheckLocalPath("plugins_dir", config.PluginsDir, problems);
        foreach (var root in config.ApiUploadRoots)
        {
            CheckLocalPath("api_upload_roots", root, problems);
        }

        if (string.IsNullOrWhiteSpace(config.RcloneBinary) || config.RcloneBinary.Any(char.IsControl))
        {
            problems.Add(new("rclone_binary", $"rclone_binary is {Quote(config.RcloneBinary)}; name the rclone executable, e.g. \"rclone\" or \"/usr/bin/rclone\"."));
        }

        for (var i = 0; i < config.RcloneFlags.Count; i++)
        {
            var flag = config.RcloneFlags[i];
            if (string.IsNullOrWhiteSpace(flag) || flag.Any(char.IsControl))
            {
                problems.Add(new("rclone_flags", $"rclone_flags item {i + 1} is {Quote(flag)}; each item must be one non-empty argument such as \"--fast-list\"."));
            }
        }
    }

    private static void CheckLocalPath(string key, string? value, List<ConfigProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(new(key, $"{key} is empty; give an absolute directory or one starting with ~/."));
        }
        else if (value.Any(char.IsControl))
        {
            problems.Add(new(key, $"{key} {Quote(value)} contains a control character; give an absolute path or one starting with ~/."));
        }
        else if (!Path.IsPathFullyQualified(value) && value != "~" && !value.StartsWith("~/", StringComparison.Ordinal))
        {
            problems.Add(new(key, $"{key} {Quote(value)} is not an absolute path; give an absolute path or one starting with ~/."));
        }
    }

    private static void CheckNumbers(PoolConfig config, List<ConfigProblem> problems)
    {
        Range(problems, "max_retries", config.MaxRetries, 0, 100);
        Range(problems, "retry_delay", config.RetryDelay, 0, 3600, " seconds");
        Range(problems, "remote_answer_timeout", config.RemoteAnswerTimeout, 1, 600, " seconds");
        if (config.MaxParallelWorkers is { } workers)
        {
            Range(problems, "max_parallel_workers", workers, 1, 64);
        }
        AtLeast(problems, "chunk_cache_size_mb", config.ChunkCacheSizeMb, 0);
        Range(problems, "prefetch_chunks", config.PrefetchChunks, 0, 32);
        Port(problems, "rclone_daemon_port", config.RcloneDaemonPort);
        OneOf(problems, "balancing_strategy", config.BalancingStrategy, BalancingStrategies);
        OneOf(problems, "index_backend", config.IndexBackend, IndexBackends);
        if (config.IndexBackend == "postgresql" && Index.Postgres.PostgresConnectionString.Problem(config.IndexConnectionString) is { } connectionProblem)
        {
            problems.Add(new("index_connection_string", connectionProblem));
        }
        Range(problems, "rebalance_threshold", config.RebalanceThreshold, 0, 100, " percent");
        AtLeast(problems, "manifest_compaction_objects", config.ManifestCompactionObjects, 0, " (0 turns automatic compaction off)");
        AtLeast(problems, "auto_rebalance_interval", config.AutoRebalanceInterval, 1, " seconds");
        Range(problems, "compression_level", config.CompressionLevel, 1, 22);
        AtLeast(problems, "bandwidth_limit_upload_mbps", config.BandwidthLimitUploadMbps, 0, " (0 means unlimited)");
        AtLeast(problems, "bandwidth_limit_download_mbps", config.BandwidthLimitDownloadMbps, 0, " (0 means unlimited)");
        AtLeast(problems, "health_check_interval", config.HealthCheckInterval, 1, " seconds");
        if (!LogLevels.Contains(config.LogLevel, StringComparer.OrdinalIgnoreCase))
        {
            OneOf(problems, "log_level", config.LogLevel, LogLevels);
        }
    }

    private static void CheckRedundancy(PoolConfig config, List<ConfigProblem> problems)
    {
        OneOf(problems, "redundancy_mode", config.RedundancyMode, RedundancyModes);
        Range(problems, "replication_factor", config.ReplicationFactor, 1, MaxStripeWidth);
        AtLeast(problems, "parity_data_shards", config.ParityDataShards, 1);
        AtLeast(problems, "parity_parity_shards", config.ParityParityShards, 1);
        var k = config.ParityDataShards;
        var m = config.ParityParityShards;
        var width = (long)k + m;
        if (k >= 1 && m >= 1 && width > MaxStripeWidth)
        {
            problems.Add(new("parity_parity_shards",
                $"parity {k}+{m} has {width} shards; parity_data_shards + parity_parity_shards must be at most {MaxStripeWidth}."));
        }

        var remotes = config.Remotes.Count;
        var mode = config.RedundancyMode;
        if (remotes == 0)
        {
            return;
        }

        if (mode is "replication" or "hybrid" && config.ReplicationFactor > remotes && config.ReplicationFactor <= MaxStripeWidth)
        {
            problems.Add(new("replication_factor",
                $"replication_factor {config.ReplicationFactor} needs {config.ReplicationFactor} remotes (each copy on a different one), the config names {remotes}; lower it or add remotes."));
        }

        if (mode is "parity" or "hybrid" && k >= 1 && m >= 1 && width <= MaxStripeWidth && width > remotes)
        {
            problems.Add(new("parity_data_shards",
                $"parity {k}+{m} needs {width} remotes (each shard of a stripe on a different one), the config names {remotes}; lower parity_data_shards or parity_parity_shards, or add remotes."));
        }
    }

    private static void CheckServer(PoolConfig config, List<ConfigProblem> problems)
    {
        Port(problems, "webdav_port", config.WebdavPort);
        Port(problems, "api_server_port", config.ApiServerPort);
        Port(problems, "metrics_port", config.MetricsPort);
        Host(problems, "webdav_host", config.WebdavHost);
        Host(problems, "api_server_host", config.ApiServerHost);
        OneOf(problems, "webdav_auth_method", config.WebdavAuthMethod, AuthMethods);
        foreach (var (user, hash) in config.WebdavUsers)
        {
            if (string.IsNullOrWhiteSpace(user) || user.Contains(':', StringComparison.Ordinal) || user.Any(char.IsControl))
            {
                problems.Add(new("webdav_users", $"webdav_users has the user name {Quote(user)}; a user name must be non-empty, without ':' or control characters."));
            }

            if (string.IsNullOrWhiteSpace(hash))
            {
                problems.Add(new("webdav_users", $"webdav_users gives user {Quote(user)} an empty password hash; store a password hash for every user."));
            }
        }

        foreach (var (name, hash) in config.WebdavApiKeys)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsControl))
            {
                problems.Add(new("webdav_api_keys", $"webdav_api_keys has the key name {Quote(name)}; a key name must be non-empty, without control characters."));
            }

            if (string.IsNullOrWhiteSpace(hash))
            {
                problems.Add(new("webdav_api_keys", $"webdav_api_keys gives key {Quote(name)} an empty hash; revoke it with 'rclonepool key revoke' and create a new one with 'rclonepool key create'."));
            }
        }

        if (config.WebdavAuthMethod == "basic" && config.WebdavUsers.Count == 0)
        {
            problems.Add(new("webdav_users", "webdav_auth_method is \"basic\" but webdav_users is empty; add a user with 'rclonepool user add NAME', or choose another method."));
        }

        var cert = string.IsNullOrEmpty(config.SslCertFile) ? null : config.SslCertFile;
        var key = string.IsNullOrEmpty(config.SslKeyFile) ? null : config.SslKeyFile;
        if (cert is not null)
        {
            CheckLocalPath("ssl_cert_file", cert, problems);
        }

        if (key is not null)
        {
            CheckLocalPath("ssl_key_file", key, problems);
        }

        if (!config.EnableHttps)
        {
            return;
        }

        if ((cert is null) != (key is null))
        {
            var (set, missing) = cert is null ? ("ssl_key_file", "ssl_cert_file") : ("ssl_cert_file", "ssl_key_file");
            problems.Add(new(missing,
                $"enable_https is true and {set} is set but {missing} is not; set both, or neither to use a generated self-signed certificate."));
            return;
        }

        foreach (var (name, file) in new[] { ("ssl_cert_file", cert), ("ssl_key_file", key) })
        {
            if (file is not null && Path.IsPathFullyQualified(file) && !File.Exists(file))
            {
                problems.Add(new(name, $"{name} {Quote(file)} does not exist; enable_https needs the PEM file there, or unset both files to use a generated self-signed certificate."));
            }
        }
    }

    private static void Range(List<ConfigProblem> problems, string key, long value, long min, long max, string unit = "")
    {
        if (value < min || value > max)
        {
            problems.Add(new(key, $"{key} is {value}; it must be between {min} and {max}{unit}."));
        }
    }

    private static void Range(List<ConfigProblem> problems, string key, double value, double min, double max, string unit = "")
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            problems.Add(new(key, $"{key} is {Number(value)}; it must be between {Number(min)} and {Number(max)}{unit}."));
        }
    }

    private static void AtLeast(List<ConfigProblem> problems, string key, double value, double min, string unit = "")
    {
        if (!double.IsFinite(value) || value < min)
        {
            problems.Add(new(key, $"{key} is {Number(value)}; it must be {Number(min)} or more{unit}."));
        }
    }

    private static void Port(List<ConfigProblem> problems, string key, int value) =>
        Range(problems, key, value, 0, 65535, " (0 picks a free port)");

    private static void Host(List<ConfigProblem> problems, string key, string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problems.Add(new(key, $"{key} is {Quote(value)}; give an address to listen on, such as \"127.0.0.1\" or \"0.0.0.0\"."));
        }
    }

    private static void OneOf(List<ConfigProblem> problems, string key, string value, IReadOnlyList<string> allowed)
    {
        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return;
        }

        var suggestion = NearestName.Find(value ?? string.Empty, allowed);
        var hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
        problems.Add(new(key, $"{key} is {Quote(value)}; it must be one of {string.Join(", ", allowed)}{hint}."));
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string? value) => value is null ? "null" : ConfigType<string>.Quote(value);
}
