namespace RclonePool.Plugins;

/// <summary>
/// What every plugin is. A plugin is a public, non-abstract class with a public parameterless constructor that
/// implements one of the type interfaces (<see cref="IBalancerPlugin"/> …). The host creates it once per process, calls
/// <see cref="Initialize"/> with its <c>plugin_settings</c>, and disposes it (when it is <see cref="IDisposable"/>) before
/// unloading its assembly.
/// </summary>
public interface IPlugin
{
    PluginMetadata Metadata { get; }

    /// <summary>Receives the plugin's entry of <c>plugin_settings</c> (empty when the config has none).</summary>
    void Initialize(IReadOnlyDictionary<string, string> settings)
    {
    }
}
