using System.Text.Json;
using RclonePool.Core.Config;
using RclonePool.Core.Events;
using RclonePool.Core.Plugins;
using RclonePool.Plugins;
using RclonePool.Tests.Unit.Config;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary>Plugin ids, the plugin and event command keys of the config, and the event's JSON.</summary>
public sealed class PluginConfigTests
{
    [Theory]
    [InlineData("balancer:fill_first", PluginType.Balancer, "fill_first")]
    [InlineData("event_handler:web-hook2", PluginType.EventHandler, "web-hook2")]
    [InlineData("storage_backend:s", PluginType.StorageBackend, "s")]
    public void A_plugin_id_is_type_colon_name(string text, PluginType type, string name)
    {
        var id = PluginId.Parse(text);
        Assert.Equal(new PluginId(type, name), id);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("balancer", "write it as TYPE:NAME")]
    [InlineData("placer:x", "the type \"placer\" is not one of balancer, chunker")]
    [InlineData("balancer:Fill", "the name \"Fill\" must be 1 to 64 lower case letters")]
    [InlineData("balancer:", "the name \"\" must be")]
    public void A_bad_plugin_id_says_how_to_write_it(string text, string expected)
    {
        Assert.False(PluginId.TryParse(text, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_validator_names_the_key_of_each_plugin_problem()
    {
        var config = new PoolConfig
        {
            Remotes = ["/srv/a"],
            EnabledPlugins = ["balancer:one", "balancer:two", "nonsense"],
            PluginSettings = new() { ["oops"] = [] },
            PluginTimeout = 0,
            EventCommands = new() { ["ON_FIRE"] = ["x"], ["POST_UPLOAD"] = [] },
        };

        var problems = ConfigValidator.Validate(config);

        Assert.Contains(problems, p => p.Key == "enabled_plugins" && p.Message.Contains("names 2 balancer plugins (balancer:one, balancer:two); a pool uses one at most", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Key == "enabled_plugins" && p.Message.Contains("\"nonsense\", which is not a plugin id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Key == "plugin_settings");
        Assert.Contains(problems, p => p.Key == "plugin_timeout");
        Assert.Contains(problems, p => p.Key == "event_commands" && p.Message.Contains("the hook \"ON_FIRE\"; use one of PRE_UPLOAD", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Key == "event_commands" && p.Message.Contains("POST_UPLOAD has no command", StringComparison.Ordinal));
    }

    [Fact]
    public void The_config_reads_event_commands_and_plugin_settings()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "config.json");
        File.WriteAllText(path, """
            {"remotes": ["/srv/a"], "enable_plugins": true, "enabled_plugins": ["transformer:xor"],
             "plugin_settings": {"transformer:xor": {"key": "k"}},
             "event_commands": {"CHUNK_MISSING": ["/usr/bin/notify", "--urgent"]}, "event_command_timeout": 5}
            """);

        var config = ConfigLoader.LoadFrom(new ConfigLocation(path, ConfigSource.Argument));

        Assert.Equal(["/usr/bin/notify", "--urgent"], config.EventCommands["CHUNK_MISSING"]);
        Assert.Equal("k", config.PluginSettings["transformer:xor"]["key"]);
        Assert.Equal(5, config.EventCommandTimeout);
    }

    [Fact]
    public void An_event_is_one_json_object_with_the_fields_it_has()
    {
        var json = JsonDocument.Parse(EventJson.Serialize(new PoolEvent
        {
            Type = PoolEventType.ChunkMissing,
            Time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Path = "/a \"b\".bin",
            Remote = "gdrive:",
            Chunk = 3,
            Bytes = 10,
            Detail = "not found",
        })).RootElement;

        Assert.Equal("CHUNK_MISSING", json.GetProperty("hook").GetString());
        Assert.Equal("2026-01-02T03:04:05+00:00", json.GetProperty("time").GetString());
        Assert.Equal("/a \"b\".bin", json.GetProperty("path").GetString());
        Assert.Equal(3, json.GetProperty("chunk").GetInt32());
        Assert.Equal("not found", json.GetProperty("message").GetString());
        Assert.False(json.TryGetProperty("total_bytes", out _));
    }
}
