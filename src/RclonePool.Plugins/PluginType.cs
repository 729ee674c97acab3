namespace RclonePool.Plugins;

/// <summary>The seven kinds of plugin of the feature document; <see cref="PluginTypes.Name"/> gives their spelling.</summary>
public enum PluginType
{
    /// <summary>Chooses the remote of each new chunk (<see cref="IBalancerPlugin"/>).</summary>
    Balancer,

    /// <summary>Chooses chunk sizes (<see cref="IChunkerPlugin"/>).</summary>
    Chunker,

    /// <summary>Stores objects somewhere rclone cannot reach (<see cref="IStorageBackendPlugin"/>).</summary>
    StorageBackend,

    /// <summary>Compresses blocks (<see cref="ICompressionPlugin"/>).</summary>
    Compression,

    /// <summary>Encrypts blocks (<see cref="IEncryptionPlugin"/>).</summary>
    Encryption,

    /// <summary>Receives the pool's events (<see cref="IEventHandlerPlugin"/>).</summary>
    EventHandler,

    /// <summary>Rewrites stored block data, reversibly (<see cref="ITransformerPlugin"/>).</summary>
    Transformer,
}
