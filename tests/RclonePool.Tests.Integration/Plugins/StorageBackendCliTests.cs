using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Plugins;

/// <summary>A <c>plugin=NAME</c> remote through the real CLI: init writes its descriptor through the plugin, files go there and come back, and health names it when the plugin is off.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StorageBackendCliTests
{
    [Fact]
    public async Task Init_upload_download_and_health_work_over_a_plugin_remote_and_health_says_why_when_its_plugin_is_off()
    {
        string? store = null;
        await using var pool = await LocalPool.CreateAsync(remotes: 2, init: false, configure: c =>
        {
            var root = Path.GetDirectoryName(c["manifest_cache_dir"]!.GetValue<string>())!;
            var plugins = PluginBuilds.CreatePluginsDir(root);
            PluginBuilds.Place(plugins, PluginBuilds.Sample("DirectoryStore"));
            store = Path.Combine(root, "store");
            ((JsonArray)c["remotes"]!).Add("plugin=directory");
            c["enable_plugins"] = true;
            c["plugins_dir"] = plugins;
            c["enabled_plugins"] = new JsonArray("storage_backend:directory");
            c["plugin_settings"] = new JsonObject { ["storage_backend:directory"] = new JsonObject { ["path"] = store } };
            c["redundancy_mode"] = "replication";
            c["replication_factor"] = 2;
        });

        var init = await pool.OkAsync("init");
        Assert.Contains("plugin=directory", init.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(store!, RclonePool.Core.Manifests.ManifestNames.DescriptorName)), "init wrote the pool descriptor through the plugin");

        var data = new byte[(5 * 256 * 1024) + 17];
        new Random(5).NextBytes(data);
        var source = pool.Local("source.bin");
        await File.WriteAllBytesAsync(source, data, TestContext.Current.CancellationToken);
        await pool.OkAsync("upload", source, "/file.bin");
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(store!, "rclonepool_data"), "*", SearchOption.AllDirectories));
        await pool.OkAsync("download", "/file.bin", pool.Local("back.bin"));
        Assert.Equal(data, await File.ReadAllBytesAsync(pool.Local("back.bin"), TestContext.Current.CancellationToken));
        await pool.OkAsync("health");

        // The plugin switched off: the remote is down; the file still comes back from its other copies, health says why.
        var config = JsonNode.Parse(await File.ReadAllTextAsync(pool.ConfigPath, TestContext.Current.CancellationToken))!;
        config["enabled_plugins"] = new JsonArray();
        await File.WriteAllTextAsync(pool.ConfigPath, config.ToJsonString(), TestContext.Current.CancellationToken);
        await pool.OkAsync("download", "/file.bin", pool.Local("again.bin"));
        Assert.Equal(data, await File.ReadAllBytesAsync(pool.Local("again.bin"), TestContext.Current.CancellationToken));
        var health = await pool.RunAsync("health");
        Assert.NotEqual(0, health.ExitCode);
        Assert.Contains("the plugin storage_backend:directory is not enabled", health.StdOut + health.StdErr, StringComparison.Ordinal);
    }
}
