using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>One plugin instance the catalog created: its metadata (as read once, at load), the file it came from, and whether the config enables it.</summary>
public sealed record LoadedPlugin(IPlugin Instance, PluginMetadata Metadata, string Path, bool Enabled)
{
    public PluginId Id => PluginId.Of(Metadata);
}
