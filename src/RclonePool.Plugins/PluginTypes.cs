namespace RclonePool.Plugins;

/// <summary>The names of <see cref="PluginType"/> as commands and the config write them ("balancer", "event_handler", …).</summary>
public static class PluginTypes
{
    public static IReadOnlyList<PluginType> All { get; } = Enum.GetValues<PluginType>();

    public static string Name(this PluginType type) => type switch
    {
        PluginType.Balancer => "balancer",
        PluginType.Chunker => "chunker",
        PluginType.StorageBackend => "storage_backend",
        PluginType.Compression => "compression",
        PluginType.Encryption => "encryption",
        PluginType.EventHandler => "event_handler",
        PluginType.Transformer => "transformer",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The type named <paramref name="name"/> ("balancer" …), or null.</summary>
    public static PluginType? Parse(string name) => All.Cast<PluginType?>().FirstOrDefault(t => t!.Value.Name() == name);

    /// <summary>The interface a plugin of <paramref name="type"/> implements.</summary>
    public static Type Interface(this PluginType type) => type switch
    {
        PluginType.Balancer => typeof(IBalancerPlugin),
        PluginType.Chunker => typeof(IChunkerPlugin),
        PluginType.StorageBackend => typeof(IStorageBackendPlugin),
        PluginType.Compression => typeof(ICompressionPlugin),
        PluginType.Encryption => typeof(IEncryptionPlugin),
        PluginType.EventHandler => typeof(IEventHandlerPlugin),
        PluginType.Transformer => typeof(ITransformerPlugin),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
