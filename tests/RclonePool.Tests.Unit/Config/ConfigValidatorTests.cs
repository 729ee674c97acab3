using RclonePool.Core.Config;
using RclonePool.Core.Errors;

namespace RclonePool.Tests.Unit.Config;

public sealed class ConfigValidatorTests
{
    private static PoolConfig Valid() => new() { Remotes = ["a:", "b:", "c:", "d:"], TempDir = "/tmp/rp", ManifestCacheDir = "/tmp/rp-cache", PluginsDir = "/tmp/rp-plugins" };

    private static ConfigProblem Single(PoolConfig config)
    {
        var problems = ConfigValidator.Validate(config);
        return Assert.Single(problems);
    }

    [Fact]
    public void A_config_with_remotes_and_defaults_is_valid() => Assert.Empty(ConfigValidator.Validate(Valid()));

    [Fact]
    public void Defaults_with_one_remote_are_valid()
    {
        var config = new PoolConfig { Remotes = ["/srv/disk1"] };
        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Theory]
    [InlineData("max_retries", "max_retries is -1; it must be between 0 and 100.")]
    [InlineData("retry_delay", "retry_delay is -0.5; it must be between 0 and 3600 seconds.")]
    [InlineData("max_parallel_workers", "max_parallel_workers is 65; it must be between 1 and 64.")]
    [InlineData("chunk_cache_size_mb", "chunk_cache_size_mb is -1; it must be 0 or more.")]
    [InlineData("prefetch_chunks", "prefetch_chunks is 33; it must be between 0 and 32.")]
    [InlineData("rebalance_threshold", "rebalance_threshold is 101; it must be between 0 and 100 percent.")]
    [InlineData("compression_level", "compression_level is 0; it must be between 1 and 22.")]
    [InlineData("bandwidth_limit_upload_mbps", "bandwidth_limit_upload_mbps is -1; it must be 0 or more (0 means unlimited).")]
    [InlineData("bandwidth_limit_download_mbps", "bandwidth_limit_download_mbps is NaN; it must be 0 or more (0 means unlimited).")]
    [InlineData("webdav_port", "webdav_port is 65536; it must be between 0 and 65535 (0 picks a free port).")]
    [InlineData("api_server_port", "api_server_port is -1; it must be between 0 and 65535 (0 picks a free port).")]
    [InlineData("metrics_port", "metrics_port is 70000; it must be between 0 and 65535 (0 picks a free port).")]
    [InlineData("rclone_daemon_port", "rclone_daemon_port is -5; it must be between 0 and 65535 (0 picks a free port).")]
    [InlineData("health_check_interval", "health_check_interval is 0; it must be 1 or more seconds.")]
    [InlineData("replication_factor", "replication_factor is 0; it must be between 1 and 256.")]
    [InlineData("parity_data_shards", "parity_data_shards is 0; it must be 1 or more.")]
    [InlineData("parity_parity_shards", "parity_parity_shards is 0; it must be 1 or more.")]
    [InlineData("chunk_size", "chunk_size is 1024 (1KiB); it must be between 4KiB (4096) and 4GiB (4294967296) bytes.")]
    [InlineData("balancing_strategy", "balancing_strategy is \"lest_used\"; it must be one of least_used, round_robin, weighted, random, round_robin_least_used (did you mean 'least_used'?).")]
    [InlineData("redundancy_mode", "redundancy_mode is \"raid5\"; it must be one of none, replication, parity, hybrid.")]
    [InlineData("webdav_auth_method", "webdav_auth_method is \"apikey\"; it must be one of none, basic, api_key, bearer (did you mean 'api_key'?).")]
    [InlineData("log_level", "log_level is \"TRACE\"; it must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL.")]
    [InlineData("webdav_host", "webdav_host is \"\"; give an address to listen on, such as \"127.0.0.1\" or \"0.0.0.0\".")]
    [InlineData("temp_dir", "temp_dir \"tmp/rp\" is not an absolute path; give an absolute path or one starting with ~/.")]
    [InlineData("rclone_binary", "rclone_binary is \"\"; name the rclone executable, e.g. \"rclone\" or \"/usr/bin/rclone\".")]
    public void Out_of_range_value_is_refused_naming_key_value_and_range(string key, string message)
    {
        var config = Valid();
        Break(config, key);
        var problem = Single(config);
        Assert.Equal(key, problem.Key);
        Assert.Equal(message, problem.Message);
    }

    private static void Break(PoolConfig c, string key)
    {
        switch (key)
        {
            case "max_retries": c.MaxRetries = -1; break;
            case "retry_delay": c.RetryDelay = -0.5; break;
            case "max_parallel_workers": c.MaxParallelWorkers = 65; break;
            case "chunk_cache_size_mb": c.ChunkCacheSizeMb = -1; break;
            case "prefetch_chunks": c.PrefetchChunks = 33; break;
            case "rebalance_threshold": c.RebalanceThreshold = 101; break;
            case "compression_level": c.CompressionLevel = 0; break;
            case "bandwidth_limit_upload_mbps": c.BandwidthLimitUploadMbps = -1; break;
            case "bandwidth_limit_download_mbps": c.BandwidthLimitDownloadMbps = double.NaN; break;
            case "webdav_port": c.WebdavPort = 65536; break;
            case "api_server_port": c.ApiServerPort = -1; break;
            case "metrics_port": c.MetricsPort = 70000; break;
            case "rclone_daemon_port": c.RcloneDaemonPort = -5; break;
            case "health_check_interval": c.HealthCheckInterval = 0; break;
            case "replication_factor": c.ReplicationFactor = 0; break;
            case "parity_data_shards": c.ParityDataShards = 0; break;
            case "parity_parity_shards": c.ParityParityShards = 0; break;
            case "chunk_size": c.ChunkSize = 1024; break;
            case "balancing_strategy": c.BalancingStrategy = "lest_used"; break;
            case "redundancy_mode": c.RedundancyMode = "raid5"; break;
            case "webdav_auth_method": c.WebdavAuthMethod = "apikey"; break;
            case "log_level": c.LogLevel = "TRACE"; break;
            case "webdav_host": c.WebdavHost = ""; break;
            case "temp_dir": c.TempDir = "tmp/rp"; break;
            case "rclone_binary": c.RcloneBinary = ""; break;
            default: throw new ArgumentException(key);
        }
    }

    [Theory]
    [InlineData(4096L)]
    [InlineData(256L * 1024)]
    [InlineData(1024L * 1024)]
    [InlineData(4L * 1024 * 1024 * 1024)]
    public void Chunk_size_limits_are_inclusive(long size)
    {
        var config = Valid();
        config.ChunkSize = size;
        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Fact]
    public void Chunk_size_just_outside_the_limits_is_refused()
    {
        var config = Valid();
        config.ChunkSize = ConfigValidator.MinChunkSize - 1;
        Assert.Equal("chunk_size", Single(config).Key);
        config.ChunkSize = ConfigValidator.MaxChunkSize + 1;
        Assert.Equal("chunk_size", Single(config).Key);
        config.ChunkSize = -1;
        Assert.StartsWith("chunk_size is -1;", Single(config).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("debug")]
    [InlineData("Warning")]
    [InlineData("CRITICAL")]
    public void Log_level_is_case_insensitive(string level)
    {
        var config = Valid();
        config.LogLevel = level;
        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Fact]
    public void Empty_remotes_is_refused_with_an_example()
    {
        var config = Valid();
        config.Remotes = [];
        var problem = Single(config);
        Assert.Equal("remotes", problem.Key);
        Assert.Contains("remotes is empty", problem.Message, StringComparison.Ordinal);
        Assert.Contains("\"gdrive:\"", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gdrive:")]
    [InlineData("gdrive:backups/pool")]
    [InlineData("my remote.2+x@y:")]
    [InlineData("/srv/disk1")]
    [InlineData("/")]
    [InlineData(":local:/srv/d1")]
    [InlineData(":sftp,host=example.com,user=me:data")]
    [InlineData("s3,provider=\"a:b\":bucket")]
    [InlineData("Ünïcode:")]
    public void Rclone_remote_spellings_are_accepted(string remote)
    {
        var config = Valid();
        config.Remotes = [remote];
        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Theory]
    [InlineData("gdrive", "no \"name:\" part")]
    [InlineData("disks/d1", "no \"name:\" part")]
    [InlineData("~bob/d1", "relative path")]
    [InlineData("", "it is empty")]
    [InlineData(" gdrive:", "starts or ends with a space")]
    [InlineData(":", "backend after the leading ':' is missing")]
    [InlineData(":x", "no \"name:\" part")]
    [InlineData("-x:", "starts with '-'")]
    [InlineData("a#b:", "contains '#'")]
    [InlineData("a\tb:", "control character")]
    [InlineData("s3,provider=\"a:", "not closed by ':'")]
    public void Strings_that_are_not_rclone_remotes_are_refused(string remote, string reason)
    {
        var config = Valid();
        config.Remotes = [remote];
        var problem = Single(config);
        Assert.Equal("remotes", problem.Key);
        Assert.StartsWith("remotes item 1 ", problem.Message, StringComparison.Ordinal);
        Assert.Contains("is not an rclone remote", problem.Message, StringComparison.Ordinal);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
        Assert.Contains("absolute path for a local directory", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a:", "a:")]
    [InlineData("a:dir", "a:dir/")]
    [InlineData("a:dir", "a:dir//.")]
    [InlineData("a:x/y", "a:x//y")]
    [InlineData("/srv/d1", "/srv/d1/")]
    [InlineData("/srv/d1", "/srv//d1")]
    public void A_remote_named_twice_is_refused_even_when_spelled_differently(string first, string second)
    {
        var config = Valid();
        config.Remotes = [first, "b:", second];
        var problem = Single(config);
        Assert.Equal("remotes", problem.Key);
        Assert.Contains("twice, as items 1 and 3", problem.Message, StringComparison.Ordinal);
        Assert.Contains("each remote may be used once", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a:", "a:dir")]
    [InlineData("a:", "A:")]
    [InlineData("a:", "a:/")]
    [InlineData("/srv/d1", "/srv/d10")]
    public void Different_remotes_are_not_duplicates(string first, string second)
    {
        var config = Valid();
        config.Remotes = [first, second];
        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Fact]
    public void Use_crypt_needs_one_crypt_remote_per_remote()
    {
        var config = Valid();
        config.UseCrypt = true;
        config.CryptRemotes = ["ca:", "cb:"];
        var problem = Single(config);
        Assert.Equal("crypt_remotes", problem.Key);
        Assert.Contains("needs one crypt remote per pool remote (4, in the same order), but it has 2", problem.Message, StringComparison.Ordinal);
        config.CryptRemotes = ["ca:", "cb:", "cc:", "cd:"];
        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Fact]
    public void Crypt_remotes_are_ignored_for_count_without_use_crypt_but_still_checked()
    {
        var config = Valid();
        config.CryptRemotes = ["ca:"];
        Assert.Empty(ConfigValidator.Validate(config));
        config.CryptRemotes = ["ca:x", "ca:x/"];
        Assert.Equal("crypt_remotes", Single(config).Key);
    }

    [Fact]
    public void A_crypt_remote_must_not_be_a_pool_remote()
    {
        var config = Valid();
        config.UseCrypt = true;
        config.CryptRemotes = ["ca:", "b:", "cc:", "cd:"];
        var problem = Single(config);
        Assert.Contains("crypt_remotes item 2 \"b:\" is also in remotes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parity_needs_as_many_remotes_as_shards()
    {
        var config = Valid();
        config.RedundancyMode = "parity";
        config.ParityDataShards = 4;
        config.ParityParityShards = 2;
        var problem = Single(config);
        Assert.StartsWith("parity 4+2 needs 6 remotes (each shard of a stripe on a different one), the config names 4;", problem.Message, StringComparison.Ordinal);
        config.ParityDataShards = 3;
        config.ParityParityShards = 1;
        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Fact]
    public void Parity_shard_count_is_only_checked_against_remotes_when_parity_is_on()
    {
        var config = Valid();
        config.ParityDataShards = 10;
        config.ParityParityShards = 4;
        Assert.Empty(ConfigValidator.Validate(config));
        config.RedundancyMode = "hybrid";
        Assert.Contains("parity 10+4 needs 14 remotes", Single(config).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stripe_has_at_most_256_shards()
    {
        var config = Valid();
        config.ParityDataShards = 250;
        config.ParityParityShards = 7;
        Assert.Equal("parity 250+7 has 257 shards; parity_data_shards + parity_parity_shards must be at most 256.", Single(config).Message);
    }

    [Fact]
    public void Replication_factor_needs_as_many_remotes_when_replicating()
    {
        var config = Valid();
        config.ReplicationFactor = 5;
        Assert.Empty(ConfigValidator.Validate(config));
        config.RedundancyMode = "replication";
        var problem = Single(config);
        Assert.Equal("replication_factor", problem.Key);
        Assert.StartsWith("replication_factor 5 needs 5 remotes (each copy on a different one), the config names 4;", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remote_weights_name_configured_remotes_with_positive_weights()
    {
        var config = Valid();
        config.Remotes = ["a:", "b:dir"];
        config.RemoteWeights = new() { ["a:"] = 2.0, ["b:dir/"] = 0.5 };
        Assert.Empty(ConfigValidator.Validate(config));
        config.RemoteWeights = new() { ["e:"] = 1.0, ["a:"] = 0 };
        var problems = ConfigValidator.Validate(config);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Message.StartsWith("remote_weights names \"e:\", which is not in remotes;", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Message == "remote_weights gives \"a:\" the weight 0; a weight must be greater than 0.");
    }

    [Fact]
    public void Remote_priorities_name_configured_remotes_with_a_suggestion()
    {
        var config = Valid();
        config.Remotes = ["premium:", "free:"];
        config.RemotePriorities = new() { ["premium"] = 10, ["free:"] = -1 };
        Assert.Equal("remote_priorities names \"premium\", which is not in remotes; did you mean \"premium:\"?", Single(config).Message);
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("/abs", "starts with '/'")]
    [InlineData("../up", "'..' part")]
    [InlineData("a//b", "empty, '.' or '..' part")]
    [InlineData("a b", "contains ' '")]
    [InlineData("a:b", "contains ':'")]
    [InlineData("a\\b", "contains '\\'")]
    public void Prefixes_must_be_safe_relative_names(string prefix, string reason)
    {
        var config = Valid();
        config.DataPrefix = prefix;
        var problem = Single(config);
        Assert.Equal("data_prefix", problem.Key);
        Assert.Contains("is not a safe directory name: ", problem.Message, StringComparison.Ordinal);
        Assert.Contains(reason, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pool/data", "pool/manifests")]
    [InlineData("rp.data-1", "rp_manifests")]
    public void Nested_prefixes_in_separate_directories_are_accepted(string data, string manifests)
    {
        var config = Valid();
        config.DataPrefix = data;
        config.ManifestPrefix = manifests;
        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Theory]
    [InlineData("same", "same", "data_prefix and manifest_prefix are both \"same\"")]
    [InlineData("pool", "pool/m", "manifest_prefix \"pool/m\" is inside data_prefix \"pool\"")]
    [InlineData("pool/d", "pool", "data_prefix \"pool/d\" is inside manifest_prefix \"pool\"")]
    public void Prefixes_must_not_overlap(string data, string manifests, string message)
    {
        var config = Valid();
        config.DataPrefix = data;
        config.ManifestPrefix = manifests;
        Assert.Contains(message, Single(config).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Https_without_certificate_files_means_a_generated_certificate()
    {
        var config = Valid();
        config.EnableHttps = true;
        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Fact]
    public void Https_needs_both_files_or_neither()
    {
        var config = Valid();
        config.EnableHttps = true;
        config.SslCertFile = "/etc/cert.pem";
        var problem = Single(config);
        Assert.Equal("ssl_key_file", problem.Key);
        Assert.Contains("ssl_cert_file is set but ssl_key_file is not", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Https_certificate_files_must_exist()
    {
        using var dir = new TempDirectory();
        var config = Valid();
        config.EnableHttps = true;
        config.SslCertFile = dir.File("cert.pem");
        config.SslKeyFile = dir.File("key.pem");
        File.WriteAllText(config.SslCertFile, "x");
        var problem = Single(config);
        Assert.Equal("ssl_key_file", problem.Key);
        Assert.Contains("does not exist", problem.Message, StringComparison.Ordinal);
        File.WriteAllText(config.SslKeyFile, "x");
        Assert.Empty(ConfigValidator.Validate(config));
        config.EnableHttps = false;
        File.Delete(config.SslKeyFile);
        Assert.Empty(ConfigValidator.Validate(config));
    }

    [Fact]
    public void Basic_auth_needs_users_and_hides_their_hashes()
    {
        var config = Valid();
        config.WebdavAuthMethod = "basic";
        Assert.Contains("webdav_users is empty", Single(config).Message, StringComparison.Ordinal);
        config.WebdavUsers = new() { ["ad:min"] = "$argon2id$secret" };
        var problem = Single(config);
        Assert.Contains("user name must be non-empty, without ':'", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_returns_every_problem_not_just_the_first()
    {
        var config = Valid();
        config.Remotes = ["a:", "a:"];
        config.ChunkSize = 1;
        config.MaxParallelWorkers = 0;
        config.LogLevel = "LOUD";
        config.RedundancyMode = "parity";
        var problems = ConfigValidator.Validate(config);
        Assert.Equal(["remotes", "chunk_size", "max_parallel_workers", "log_level", "parity_data_shards"], problems.Select(p => p.Key));
    }

    [Fact]
    public void Ensure_valid_throws_bad_input_listing_every_problem()
    {
        var config = Valid();
        config.MaxRetries = -1;
        config.PrefetchChunks = -1;
        var e = Assert.Throws<PoolException>(() => ConfigValidator.EnsureValid(config, "/etc/rp.json"));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Equal(
            "Config /etc/rp.json has 2 problems:\n  - max_retries is -1; it must be between 0 and 100.\n  - prefetch_chunks is -1; it must be between 0 and 32.",
            e.Message);
    }

    [Fact]
    public void The_spec_example_is_refused_only_for_its_placeholder_files_and_parity_width()
    {
        var json = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "RclonePool.Tests.Unit", "Config", "spec-example.json"));
        var config = ConfigLoader.Parse(json, "spec", TestEnvironment.Default);
        var problems = ConfigValidator.Validate(config);
        Assert.Equal(["parity_data_shards", "ssl_cert_file", "ssl_key_file"], problems.Select(p => p.Key));
        Assert.StartsWith("parity 3+1 needs 4 remotes", problems[0].Message, StringComparison.Ordinal);
    }
}
