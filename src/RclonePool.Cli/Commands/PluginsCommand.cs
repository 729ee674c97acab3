using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Plugins;
using RclonePool.Plugins;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool plugins list|enable|disable|load</c>: the .NET plugins of <c>plugins_dir</c> and which are in use (<c>enabled_plugins</c>).</summary>
internal static class PluginsCommand
{
    public static Command Create()
    {
        var command = new Command("plugins", CommandText.WithExamples(
            "Manage plugins: .NET assemblies in plugins_dir that add a balancer, a transformer of stored chunks or event handlers (docs/plugins.md). " +
            "They load when enable_plugins is true; enabled_plugins names those in use. For a command run on an event, see event_commands.",
            "rclonepool plugins load ./MyBalancer/bin/Release/net10.0/MyBalancer.dll",
            "rclonepool plugins enable balancer:fill_first",
            "rclonepool plugins list"))
        {
            List(),
            Enable(),
            Disable(),
            Load(),
        };
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the plugins of plugins_dir: id, version, whether enabled, author and description; then what did not load, and why.");
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, (context, _) =>
        {
            var config = context.Config;
            using var catalog = PluginCatalog.Load(OptionsInitialisingNone(config), NullLogger.Instance);
            var enabled = config.EnabledPlugins.ToHashSet(StringComparer.Ordinal);
            foreach (var plugin in catalog.Plugins.OrderBy(p => p.Id.ToString(), StringComparer.Ordinal))
            {
                var id = plugin.Id.ToString();
                Console.WriteLine($"{id,-36} {plugin.Metadata.Version,-10} {(enabled.Contains(id) ? "enabled" : "disabled"),-9} {plugin.Metadata.Author} — {plugin.Metadata.Description}");
            }

            foreach (var problem in catalog.Problems)
            {
                Console.WriteLine($"not loaded: {problem.Message}");
            }

            if (catalog.Plugins.Count == 0 && catalog.Problems.Count == 0)
            {
                Console.WriteLine($"No plugins in {catalog.Directory}; add one with 'rclonepool plugins load PATH'.");
            }

            NoteWhenOff(config);
            return Task.FromResult(catalog.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failure);
        }, ct));
        return command;
    }

    private static Command Enable()
    {
        var id = new Argument<string>("TYPE:NAME") { Description = "The plugin, as 'plugins list' shows it, e.g. balancer:fill_first." };
        var command = new Command("enable", "Use a plugin of plugins_dir (adds it to enabled_plugins); a running serve picks it up when it starts again.") { id };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, (context, _) =>
        {
            var plugin = PluginId.Parse(parse.GetValue(id)!);
            var config = context.Config;
            using (var catalog = PluginCatalog.Load(OptionsInitialisingNone(config), NullLogger.Instance))
            {
                if (!catalog.Plugins.Any(p => p.Id == plugin))
                {
                    var why = catalog.Problems.Count > 0 ? $" What did not load: {string.Join(" ", catalog.Problems.Select(p => p.Message))}" : string.Empty;
                    throw new PoolException(PoolErrorKind.NotFound, $"No plugin {plugin} in {catalog.Directory}; 'rclonepool plugins list' shows the ids, 'rclonepool plugins load PATH' adds a plugin.{why}");
                }
            }

            if (config.EnabledPlugins.Contains(plugin.ToString()))
            {
                Console.WriteLine($"plugins: {plugin} is enabled already.");
                return Task.FromResult(ExitCodes.Success);
            }

            SetEnabled(context, [.. config.EnabledPlugins, plugin.ToString()]);
            Console.WriteLine($"plugins: {plugin} enabled.");
            NoteWhenOff(config);
            return Task.FromResult(ExitCodes.Success);
        }, ct));
        return command;
    }

    private static Command Disable()
    {
        var id = new Argument<string>("TYPE:NAME") { Description = "The plugin, as 'plugins list' shows it." };
        var command = new Command("disable", "Stop using a plugin (removes it from enabled_plugins); its files stay in plugins_dir.") { id };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, (context, _) =>
        {
            var plugin = PluginId.Parse(parse.GetValue(id)!).ToString();
            var config = context.Config;
            if (!config.EnabledPlugins.Contains(plugin))
            {
                throw new PoolException(PoolErrorKind.NotFound, $"{plugin} is not enabled; enabled_plugins has {(config.EnabledPlugins.Count == 0 ? "none" : string.Join(", ", config.EnabledPlugins))}.");
            }

            SetEnabled(context, [.. config.EnabledPlugins.Where(p => p != plugin)]);
            Console.WriteLine($"plugins: {plugin} disabled.");
            if (PluginId.Parse(plugin).Type is PluginType.Transformer or PluginType.Compression or PluginType.Encryption)
            {
                Console.Error.WriteLine($"plugins: note: files stored through {plugin} need it to be read back (their manifests name it); new files are stored without it. Enable it again to read them.");
            }

            return Task.FromResult(ExitCodes.Success);
        }, ct));
        return command;
    }

    private static Command Load()
    {
        var path = new Argument<string>("PATH") { Description = "The plugin's .dll, with its dependencies beside it (a build output directory)." };
        var command = new Command("load", "Check a plugin (it loads, its classes start, it was built against this rclonepool's RclonePool.Plugins), then copy it with its dependencies into plugins_dir.") { path };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, (context, _) =>
        {
            var config = context.Config;
            var installed = PluginInstaller.Install(parse.GetValue(path)!, PluginCatalogOptions.FromConfig(config));
            foreach (var metadata in installed)
            {
                var state = config.EnabledPlugins.Contains(metadata.Id) ? "enabled" : $"enable it with 'rclonepool plugins enable {metadata.Id}'";
                Console.WriteLine($"plugins: loaded {metadata.Id} {metadata.Version} into {ConfigLoader.ExpandHome(config.PluginsDir)} ({state}).");
            }

            NoteWhenOff(config);
            return Task.FromResult(ExitCodes.Success);
        }, ct));
        return command;
    }

    /// <summary>Listing and checking create every plugin class but initialise none (the catalog initialises only those enabled).</summary>
    private static PluginCatalogOptions OptionsInitialisingNone(PoolConfig config) => PluginCatalogOptions.FromConfig(config) with { Enabled = new HashSet<PluginId>() };

    private static void SetEnabled(CliContext context, IReadOnlyList<string> enabled) =>
        ConfigFileEdit.SetList(context.ConfigLocation.Path, ConfigLoader.LoadFrom(context.ConfigLocation), "enabled_plugins", (c, v) => c.EnabledPlugins = v, enabled);

    private static void NoteWhenOff(PoolConfig config)
    {
        if (!config.EnablePlugins)
        {
            Console.Error.WriteLine("plugins: note: enable_plugins is false in the config, so no plugin loads; set it to true to use them.");
        }
    }
}
