using RclonePool.Core.Config;
using RclonePool.Core.Errors;

namespace RclonePool.Tests.Unit.Config;

public sealed class ConfigLoaderTests
{
    private static PoolConfig Parse(string json) => ConfigLoader.Parse(json, "test.json", TestEnvironment.Default);

    private static PoolException Refused(string json)
    {
        var e = Assert.Throws<PoolException>(() => Parse(json));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Contains("test.json", e.Message, StringComparison.Ordinal);
        return e;
    }

    [Fact]
    public void Keys_left_out_keep_their_defaults()
    {
        var config = Parse("""{ "remotes": ["a:", "b:"] }""");
        Assert.Equal(["a:", "b:"], config.Remotes);
        Assert.Equal(100L * 1024 * 1024, config.ChunkSize);
        Assert.Null(config.MaxParallelWorkers); // "auto"
        Assert.True(config.EnableRcloneDaemon);
        Assert.Equal(0, config.RcloneDaemonPort);
    }

    [Fact]
    public void The_spec_complete_example_is_accepted()
    {
        var json = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "RclonePool.Tests.Unit", "Config", "spec-example.json"));
        var config = Parse(json);
        Assert.Equal("round_robin_least_used", config.BalancingStrategy);
        Assert.Equal("/home/tester/.cache/rclonepool", config.ManifestCacheDir);
        Assert.Equal(["--fast-list", "--no-traverse"], config.RcloneFlags);
    }

    [Theory]
    [InlineData("chunk_szie", "chunk_size")]
    [InlineData("chunk-size", "chunk_size")]
    [InlineData("ChunkSize", "chunk_size")]
    [InlineData("remote", "remotes")]
    [InlineData("max_retry", "max_retries")]
    [InlineData("redundancy", "redundancy_mode")]
    [InlineData("enable_web_ui", "enable_webui")]
    public void Unknown_key_is_refused_with_a_suggestion(string key, string suggestion)
    {
        var e = Refused($$"""{ "remotes": ["a:"], "{{key}}": 1 }""");
        Assert.Contains($"unknown key \"{key}\"", e.Message, StringComparison.Ordinal);
        Assert.Contains($"did you mean '{suggestion}'?", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_far_from_every_key_gets_no_suggestion()
    {
        var e = Refused("""{ "zzz_qqq": 1 }""");
        Assert.Contains("unknown key \"zzz_qqq\"", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", e.Message, StringComparison.Ordinal);
        Assert.Contains("docs/configuration.md", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("max_retries", "\"3\"", "max_retries must be an integer, but the config has the string \"3\"")]
    [InlineData("max_retries", "2.5", "max_retries must be a whole number, but the config has the number 2.5")]
    [InlineData("max_retries", "1e12", "max_retries must be an integer between")]
    [InlineData("use_crypt", "\"yes\"", "use_crypt must be a boolean (true or false), but the config has the string \"yes\"")]
    [InlineData("use_crypt", "1", "use_crypt must be a boolean (true or false), but the config has the number 1")]
    [InlineData("remotes", "\"a:\"", "remotes must be a list of strings, but the config has the string \"a:\"")]
    [InlineData("remotes", "[\"a:\", 2]", "remotes must be a list of strings, but item 2 is the number 2")]
    [InlineData("remotes", "null", "remotes must be a list of strings, but the config has null")]
    [InlineData("retry_delay", "\"1s\"", "retry_delay must be a number, but the config has the string \"1s\"")]
    [InlineData("data_prefix", "{}", "data_prefix must be a string, but the config has an object")]
    [InlineData("ssl_cert_file", "[]", "ssl_cert_file must be a string or null, but the config has a list")]
    [InlineData("remote_weights", "{\"a:\": \"x\"}", "remote_weights entry \"a:\" must be a number, but the config has the string \"x\"")]
    [InlineData("remote_priorities", "{\"a:\": 1.5}", "remote_priorities entry \"a:\" must be a whole number")]
    [InlineData("chunk_size", "\"lots\"", "chunk_size must be a size such as 4096, \"256K\" or \"64M\", but the config has the string \"lots\"")]
    [InlineData("chunk_size", "1.5", "chunk_size must be a whole number of bytes, but the config has the number 1.5")]
    [InlineData("max_parallel_workers", "\"many\"", "max_parallel_workers must be an integer or \"auto\", but the config has the string \"many\"")]
    [InlineData("max_parallel_workers", "true", "max_parallel_workers must be an integer or \"auto\", but the config has true")]
    [InlineData("max_parallel_workers", "2.5", "max_parallel_workers must be a whole number, but the config has the number 2.5")]
    public void Wrong_type_names_the_key_the_value_and_the_expected_type(string key, string value, string expected)
    {
        var e = Refused($$"""{ "{{key}}": {{value}} }""");
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_type_in_webdav_users_never_shows_the_value()
    {
        var e = Refused("""{ "webdav_users": { "admin": 12345 } }""");
        Assert.Contains("webdav_users entry \"admin\" must be a string, but the config has a number (hidden)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("12345", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"auto\"", null)]
    [InlineData("\"AUTO\"", null)]
    [InlineData("8", 8)]
    public void Max_parallel_workers_is_a_number_or_auto(string value, int? expected) =>
        Assert.Equal(expected, Parse($$"""{ "max_parallel_workers": {{value}} }""").MaxParallelWorkers);

    [Fact]
    public void Whole_numbers_written_with_a_fraction_or_exponent_are_integers()
    {
        var config = Parse("""{ "max_retries": 4.0, "chunk_size": 1e6 }""");
        Assert.Equal(4, config.MaxRetries);
        Assert.Equal(1_000_000, config.ChunkSize);
    }

    [Fact]
    public void Chunk_size_may_be_a_size_string()
    {
        Assert.Equal(64L * 1024 * 1024, Parse("""{ "chunk_size": "64M" }""").ChunkSize);
        Assert.Equal(256L * 1024, Parse("""{ "chunk_size": "256KiB" }""").ChunkSize);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var e = Refused("""{ "chunk_szie": 1, "max_retries": "3", "use_crypt": 0 }""");
        Assert.Contains("has 3 problems", e.Message, StringComparison.Ordinal);
        Assert.Contains("chunk_szie", e.Message, StringComparison.Ordinal);
        Assert.Contains("max_retries", e.Message, StringComparison.Ordinal);
        Assert.Contains("use_crypt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_given_twice_is_refused()
    {
        var e = Refused("""{ "max_retries": 1, "max_retries": 2 }""");
        Assert.Contains("max_retries appears twice", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_gives_line_and_column()
    {
        var e = Refused("{\n  \"remotes\": [\"a:\"],\n  \"max_retries\": ,\n}");
        Assert.Contains("not valid JSON at line 3, column 18", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_file_is_refused_as_not_json(string json) =>
        Assert.Contains("not valid JSON", Refused(json).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("[]", "array")]
    [InlineData("\"x\"", "string")]
    [InlineData("null", "null")]
    public void Root_must_be_an_object(string json, string kind) =>
        Assert.Contains($"holds {kind} where a JSON object is expected", Refused(json).Message, StringComparison.Ordinal);

    [Fact]
    public void Comments_and_trailing_commas_are_allowed()
    {
        var config = Parse("""
            {
              // the pool
              "remotes": ["a:", "b:",], /* two remotes */
              "max_retries": 5,
            }
            """);
        Assert.Equal(5, config.MaxRetries);
        Assert.Equal(2, config.Remotes.Count);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_skipped()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(System.Text.Encoding.UTF8.GetBytes("""{ "max_retries": 7 }""")).ToArray();
        Assert.Equal(7, ConfigLoader.Parse(bytes, "bom.json", TestEnvironment.Default).MaxRetries);
    }

    [Fact]
    public void Tilde_is_expanded_in_path_valued_keys_and_local_remotes()
    {
        var config = Parse("""
            {
              "remotes": ["~/disks/d1", "gdrive:~/x", "/srv/d2"],
              "crypt_remotes": ["~/c1"],
              "remote_weights": { "~/disks/d1": 2 },
              "temp_dir": "~/tmp",
              "manifest_cache_dir": "~",
              "plugins_dir": "~/plugins",
              "ssl_cert_file": "~/tls/cert.pem",
              "ssl_key_file": "/etc/key.pem",
              "rclone_binary": "~/bin/rclone"
            }
            """);
        Assert.Equal(["/home/tester/disks/d1", "gdrive:~/x", "/srv/d2"], config.Remotes);
        Assert.Equal(["/home/tester/c1"], config.CryptRemotes);
        Assert.Equal(2, config.RemoteWeights["/home/tester/disks/d1"]);
        Assert.Equal("/home/tester/tmp", config.TempDir);
        Assert.Equal("/home/tester", config.ManifestCacheDir);
        Assert.Equal("/home/tester/plugins", config.PluginsDir);
        Assert.Equal("/home/tester/tls/cert.pem", config.SslCertFile);
        Assert.Equal("/etc/key.pem", config.SslKeyFile);
        Assert.Equal("/home/tester/bin/rclone", config.RcloneBinary);
    }

    [Fact]
    public void Default_path_keys_are_expanded_too()
    {
        var config = Parse("{}");
        Assert.Equal("/home/tester/.cache/rclonepool", config.ManifestCacheDir);
        Assert.Equal("/home/tester/.config/rclonepool/plugins", config.PluginsDir);
    }

    [Theory]
    [InlineData("~bob/tmp")]
    [InlineData("/tmp/~/x")]
    public void Only_a_leading_tilde_slash_is_expanded(string path) =>
        Assert.Equal(path, ConfigLoader.ExpandHome(path, TestEnvironment.Default));

    [Fact]
    public void Log_level_is_read_in_any_case_and_normalised()
    {
        Assert.Equal("DEBUG", Parse("""{ "log_level": "debug" }""").LogLevel);
        Assert.Equal("Verbose", Parse("""{ "log_level": "Verbose" }""").LogLevel);
    }

    [Fact]
    public void Load_validates_the_file()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json");
        File.WriteAllText(path, """{ "remotes": ["a:"], "max_parallel_workers": 0 }""");
        var e = Assert.Throws<PoolException>(() => ConfigLoader.Load(path, TestEnvironment.Default));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Equal($"Config {path}: max_parallel_workers is 0; it must be between 1 and 64.", e.Message);
    }

    [Fact]
    public void Load_returns_a_valid_config()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json");
        File.WriteAllText(path, """{ "remotes": ["a:", "/srv/b"], "chunk_size": "1M" }""");
        var config = ConfigLoader.Load(path, TestEnvironment.Default);
        Assert.Equal(1024 * 1024, config.ChunkSize);
    }
}
