using RclonePool.Core.Events;
using RclonePool.Core.Plugins;
using RclonePool.Plugins;

namespace RclonePool.Core.Config;

public static partial class ConfigValidator
{
    private static void CheckPlugins(PoolConfig config, List<ConfigProblem> problems)
    {
        Range(problems, "plugin_timeout", config.PluginTimeout, 0.05, 600, " seconds");
        Range(problems, "event_command_timeout", config.EventCommandTimeout, 0.1, 3600, " seconds");
        var enabled = new List<PluginId>();
        foreach (var text in config.EnabledPlugins)
        {
            if (PluginId.TryParse(text, out var id, out var problem))
            {
                enabled.Add(id);
            }
            else
            {
                problems.Add(new("enabled_plugins", $"enabled_plugins has {Quote(text)}, which is not a plugin id: {problem}."));
            }
        }

        foreach (var type in new[] { PluginType.Balancer, PluginType.Transformer, PluginType.Compression, PluginType.Encryption })
        {
            var ofType = enabled.Where(i => i.Type == type).Distinct().ToList();
            if (ofType.Count > 1)
            {
                problems.Add(new("enabled_plugins",
                    $"enabled_plugins names {ofType.Count} {type.Name()} plugins ({string.Join(", ", ofType)}); a pool uses one at most: disable all but one with 'rclonepool plugins disable'."));
            }
        }

        foreach (var text in config.PluginSettings.Keys.Where(k => !PluginId.TryParse(k, out _, out _)))
        {
            problems.Add(new("plugin_settings", $"plugin_settings has the entry {Quote(text)}, which is not a plugin id; write TYPE:NAME, e.g. \"event_handler:webhook\"."));
        }

        var hooks = Enum.GetValues<PoolEventType>().Select(t => t.HookName()).ToList();
        foreach (var (hook, command) in config.EventCommands)
        {
            if (!hooks.Contains(hook, StringComparer.Ordinal))
            {
                problems.Add(new("event_commands", $"event_commands has the hook {Quote(hook)}; use one of {string.Join(", ", hooks)}."));
            }
            else if (command.Count == 0 || string.IsNullOrWhiteSpace(command[0]))
            {
                problems.Add(new("event_commands", $"event_commands {hook} has no command; give the program and its arguments as a list, e.g. [\"/usr/local/bin/notify\", \"--urgent\"]."));
            }
        }
    }
}
