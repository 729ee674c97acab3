using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Plugins;

/// <summary>'plugins load|list|enable|disable' through the real CLI, with the sample plugins and misbehaving ones, on a pool of local remotes through real rclone.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PluginCommandTests
{
    public static TheoryData<string, string> Samples => new()
    {
        { "PreferRemoteBalancer", "balancer:prefer_remote" },
        { "WebhookEventHandler", "event_handler:webhook" },
        { "XorTransformer", "transformer:xor" },
        { "DirectoryStore", "storage_backend:directory" },
        { "TieredChunker", "chunker:tiered" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task A_sample_plugin_loads_enables_disables_and_reloads(string project, string id)
    {
        await using var pool = await LocalPool.CreateAsync(configure: PluginsOn);
        var dll = PluginBuilds.Sample(project);

        var load = await pool.OkAsync("plugins", "load", dll);
        Assert.Contains($"loaded {id} 1.0.0", load.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(pool.Root, "plugins", project, project + ".dll")));
        Assert.False(File.Exists(Path.Combine(pool.Root, "plugins", project, "RclonePool.Plugins.dll")), "the host's contract is shared, never copied");
        Assert.Matches($@"{id}\s+1\.0\.0\s+disabled", (await pool.OkAsync("plugins", "list")).StdOut);

        await pool.OkAsync("plugins", "enable", id);
        Assert.Equal([id], EnabledPlugins(pool));
        Assert.Matches($@"{id}\s+1\.0\.0\s+enabled", (await pool.OkAsync("plugins", "list")).StdOut);

        await pool.OkAsync("plugins", "disable", id);
        Assert.Empty(EnabledPlugins(pool));

        // Reload: loading again replaces the copy; the plugin is listed once, and the config keeps its other keys.
        await pool.OkAsync("plugins", "load", dll);
        var list = (await pool.OkAsync("plugins", "list")).StdOut;
        Assert.Single(list.Split('\n'), l => l.StartsWith(id, StringComparison.Ordinal));
        Assert.Equal(256 * 1024, JsonNode.Parse(File.ReadAllText(pool.ConfigPath))!["chunk_size"]!.GetValue<long>());
    }

    [Fact]
    public async Task Enabling_an_unknown_or_badly_written_plugin_is_refused_and_changes_nothing()
    {
        await using var pool = await LocalPool.CreateAsync(configure: PluginsOn);
        var before = File.ReadAllText(pool.ConfigPath);

        var unknown = await pool.RunAsync("plugins", "enable", "balancer:nothing_here");
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("No plugin balancer:nothing_here", unknown.StdErr, StringComparison.Ordinal);

        var badType = await pool.RunAsync("plugins", "enable", "placer:x");
        Assert.Equal(2, badType.ExitCode);
        Assert.Contains("the type \"placer\" is not one of balancer, chunker, storage_backend", badType.StdErr, StringComparison.Ordinal);

        var notEnabled = await pool.RunAsync("plugins", "disable", "balancer:x");
        Assert.Equal(3, notEnabled.ExitCode);
        Assert.Equal(before, File.ReadAllText(pool.ConfigPath));
    }

    [Fact]
    public async Task Plugins_load_refuses_bad_plugins_with_the_reason()
    {
        await using var pool = await LocalPool.CreateAsync(configure: PluginsOn);

        var throws = await pool.RunAsync("plugins", "load", PluginBuilds.Bad("BadThrowingConstructor"));
        Assert.Equal(2, throws.ExitCode);
        Assert.Contains("BadThrowingConstructor.ThrowingBalancer", throws.StdErr, StringComparison.Ordinal);
        Assert.Contains("this plugin is broken on purpose", throws.StdErr, StringComparison.Ordinal);

        var future = await pool.RunAsync("plugins", "load", PluginBuilds.Bad("BadOtherContract"));
        Assert.Equal(2, future.ExitCode);
        Assert.Contains("was built against RclonePool.Plugins 2.0.0, and this rclonepool has 1.0.0: rebuild the plugin against 1.0.0", future.StdErr, StringComparison.Ordinal);

        // The plugin without the library it needs beside it.
        var lonely = Path.Combine(pool.Root, "lonely");
        Directory.CreateDirectory(lonely);
        File.Copy(PluginBuilds.Bad("BadMissingDependency"), Path.Combine(lonely, "BadMissingDependency.dll"));
        var missing = await pool.RunAsync("plugins", "load", Path.Combine(lonely, "BadMissingDependency.dll"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("it needs BadMissingDependency.Lib", missing.StdErr, StringComparison.Ordinal);

        var notAPlugin = await pool.RunAsync("plugins", "load", pool.ConfigPath);
        Assert.Equal(2, notAPlugin.ExitCode);
        Assert.Contains("is not a plugin file", notAPlugin.StdErr, StringComparison.Ordinal);

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(pool.Root, "plugins")));

        // With its library beside it, the same plugin loads (and 'plugins load' copies the library too).
        await pool.OkAsync("plugins", "load", PluginBuilds.Bad("BadMissingDependency"));
        Assert.True(File.Exists(Path.Combine(pool.Root, "plugins", "BadMissingDependency", "BadMissingDependency.Lib.dll")));
    }

    [Fact]
    public async Task Bad_plugins_in_plugins_dir_are_reported_and_the_pool_keeps_working()
    {
        await using var pool = await LocalPool.CreateAsync(configure: c =>
        {
            PluginsOn(c);
            c["enabled_plugins"] = new JsonArray("balancer:throws", "event_handler:needs_library");
        });
        var plugins = Path.Combine(pool.Root, "plugins");
        PluginBuilds.Place(plugins, PluginBuilds.Bad("BadThrowingConstructor"));
        PluginBuilds.Place(plugins, PluginBuilds.Bad("BadOtherContract"));
        PluginBuilds.Place(plugins, PluginBuilds.Bad("BadMissingDependency"));

        var list = await pool.RunAsync("plugins", "list");
        Assert.Equal(1, list.ExitCode);
        Assert.Contains("this plugin is broken on purpose", list.StdOut, StringComparison.Ordinal);
        Assert.Contains("built against RclonePool.Plugins 2.0.0", list.StdOut, StringComparison.Ordinal);
        Assert.Contains("it needs BadMissingDependency.Lib", list.StdOut, StringComparison.Ordinal);

        var data = LocalPool.RandomBytes(600_000, 7);
        var upload = await pool.RunWithInputAsync(data, "upload", "-", "/f.bin");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        Assert.Contains("this plugin is broken on purpose", upload.StdErr, StringComparison.Ordinal);
        Assert.Contains("enabled_plugins names balancer:throws, but no plugin of plugins_dir has that id", upload.StdErr, StringComparison.Ordinal);
        Assert.Equal(data, (await pool.OkAsync("cat", "/f.bin")).StdOutBytes);
    }

    [Fact]
    public async Task A_plugins_dir_others_can_write_loads_nothing_and_says_why()
    {
        await using var pool = await LocalPool.CreateAsync(configure: c =>
        {
            PluginsOn(c);
            c["enabled_plugins"] = new JsonArray("transformer:xor");
        });
        var plugins = Path.Combine(pool.Root, "plugins");
        await pool.OkAsync("plugins", "load", PluginBuilds.Sample("XorTransformer"));
        File.SetUnixFileMode(plugins, (UnixFileMode)0b111_111_111);

        var list = await pool.RunAsync("plugins", "list");
        Assert.Contains("is writable by group and others; make it writable by its owner only (chmod go-w", list.StdOut, StringComparison.Ordinal);
        var load = await pool.RunAsync("plugins", "load", PluginBuilds.Sample("PreferRemoteBalancer"));
        Assert.Equal(2, load.ExitCode);
        Assert.Contains("No plugin loads", load.StdErr, StringComparison.Ordinal);

        // The pool works without the plugin, and stores the chunks as they are (the transformer did not load).
        var data = LocalPool.RandomBytes(300_000, 3);
        var upload = await pool.RunWithInputAsync(data, "upload", "-", "/g.bin");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        Assert.Contains("writable by group and others", upload.StdErr, StringComparison.Ordinal);
        Assert.Equal(data, (await pool.OkAsync("cat", "/g.bin")).StdOutBytes);

        File.SetUnixFileMode(plugins, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Path.Combine(plugins, "XorTransformer", "XorTransformer.dll"), (UnixFileMode)0b110_110_100);
        Assert.Contains("XorTransformer.dll is writable by its group", (await pool.RunAsync("plugins", "list")).StdOut, StringComparison.Ordinal);
    }

    private static void PluginsOn(JsonObject config)
    {
        var root = Path.GetDirectoryName(config["manifest_cache_dir"]!.GetValue<string>())!;
        config["enable_plugins"] = true;
        config["plugins_dir"] = PluginBuilds.CreatePluginsDir(root);
        config["plugin_timeout"] = 2;
    }

    private static List<string> EnabledPlugins(LocalPool pool) =>
        [.. (JsonNode.Parse(File.ReadAllText(pool.ConfigPath))!["enabled_plugins"] as JsonArray ?? []).Select(n => n!.GetValue<string>())];
}
