using RclonePool.Core.Config;

namespace RclonePool.Core.Plugins;

/// <summary>Where plugins load from and which are in use: <c>plugins_dir</c>, <c>enabled_plugins</c>, <c>plugin_settings</c>, <c>plugin_timeout</c>.</summary>
public sealed record PluginCatalogOptions(
    string Directory, IReadOnlySet<PluginId> Enabled, IReadOnlyDictionary<string, Dictionary<string, string>> Settings, TimeSpan Timeout)
{
    public static PluginCatalogOptions FromConfig(PoolConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var enabled = config.EnabledPlugins.Select(t => PluginId.TryParse(t, out var id, out _) ? id : (PluginId?)null)
            .OfType<PluginId>().ToHashSet();
        return new(ConfigLoader.ExpandHome(config.PluginsDir), enabled, config.PluginSettings, TimeSpan.FromSeconds(config.PluginTimeout));
    }
}
