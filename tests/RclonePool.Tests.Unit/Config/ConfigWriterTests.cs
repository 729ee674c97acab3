using System.Text.Json;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;

namespace RclonePool.Tests.Unit.Config;

public sealed class ConfigWriterTests
{
    private static PoolConfig Sample() => new()
    {
        Remotes = ["gdrive:pool", "/srv/disk 1", "Ünï:"],
        ChunkSize = 64L * 1024 * 1024,
        MaxParallelWorkers = 8,
        RetryDelay = 0.25,
        RemoteWeights = new() { ["gdrive:pool"] = 2.5 },
        RemotePriorities = new() { ["/srv/disk 1"] = -3 },
        WebdavUsers = new() { ["admin"] = "$argon2id$hash" },
        SslCertFile = "/etc/tls/cert.pem",
        TempDir = "/home/tester/tmp",
        ManifestCacheDir = "/home/tester/.cache/rclonepool",
        PluginsDir = "/opt/rclonepool/plugins",
        RcloneFlags = ["--fast-list", "--tpslimit", "10"],
        LogLevel = "DEBUG",
    };

    private static void AssertSame(PoolConfig expected, PoolConfig actual)
    {
        foreach (var key in ConfigKeys.All)
        {
            Assert.True(key.ValueEquals(expected, actual), $"{key.Name}: wrote {key.ValueText(expected)}, read {key.ValueText(actual)}");
        }
    }

    [Fact]
    public void Written_config_loads_back_to_the_same_values()
    {
        using var dir = new TempDirectory();
        var path = dir.File("nested", "dir", "config.json");
        var config = Sample();
        ConfigWriter.Write(config, path, environment: TestEnvironment.Default);
        AssertSame(config, ConfigLoader.Load(path, TestEnvironment.Default));
    }

    [Fact]
    public void Written_config_with_every_key_loads_back_to_the_same_values()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json");
        var config = ConfigLoader.Parse("""{ "remotes": ["a:"] }""", "x", TestEnvironment.Default);
        ConfigWriter.Write(config, path, includeDefaults: true, environment: TestEnvironment.Default);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(ConfigKeys.All.Select(k => k.Name), document.RootElement.EnumerateObject().Select(p => p.Name));
        AssertSame(config, ConfigLoader.Load(path, TestEnvironment.Default));
    }

    [Fact]
    public void Only_remotes_chunk_size_and_changed_keys_are_written_in_key_order()
    {
        var json = ConfigWriter.ToJson(new PoolConfig { Remotes = ["a:"], MaxRetries = 5, ShowProgress = false }, environment: TestEnvironment.Default);
        Assert.Equal(
            "{\n  \"remotes\": [\n    \"a:\"\n  ],\n  \"chunk_size\": 104857600,\n  \"max_retries\": 5,\n  \"show_progress\": false\n}\n",
            json);
    }

    [Fact]
    public void Paths_under_home_are_written_with_a_tilde_and_loaded_expanded()
    {
        var loaded = ConfigLoader.Parse("""{ "remotes": ["a:"], "plugins_dir": "~/p" }""", "x", TestEnvironment.Default);
        Assert.Equal("/home/tester/p", loaded.PluginsDir);
        var json = ConfigWriter.ToJson(loaded, environment: TestEnvironment.Default);
        Assert.Contains("\"plugins_dir\": \"~/p\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("manifest_cache_dir", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_ascii_text_is_written_as_is()
    {
        var json = ConfigWriter.ToJson(Sample(), environment: TestEnvironment.Default);
        Assert.Contains("\"Ünï:\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_file_is_not_overwritten_unless_asked()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json");
        File.WriteAllText(path, "keep");
        var e = Assert.Throws<PoolException>(() => ConfigWriter.Write(Sample(), path, environment: TestEnvironment.Default));
        Assert.Equal(PoolErrorKind.Conflict, e.Kind);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Equal("keep", File.ReadAllText(path));

        ConfigWriter.Write(Sample(), path, overwrite: true, environment: TestEnvironment.Default);
        Assert.Equal(8, ConfigLoader.Load(path, TestEnvironment.Default).MaxParallelWorkers);
    }

    [Fact]
    public void An_invalid_config_is_refused_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        var path = dir.File("sub", "config.json");
        var config = Sample();
        config.Remotes = ["a:", "a:"];
        var e = Assert.Throws<PoolException>(() => ConfigWriter.Write(config, path, environment: TestEnvironment.Default));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        Assert.Contains("twice", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("sub")));
    }

    [Fact]
    public void The_file_is_private_and_no_temporary_file_is_left()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.json");
        ConfigWriter.Write(Sample(), path, environment: TestEnvironment.Default);
        Assert.Equal(["config.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }
}
