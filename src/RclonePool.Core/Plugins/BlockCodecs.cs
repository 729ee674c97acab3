using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// The block codecs one open pool has: built-in zstd (<c>enable_compression</c>) and the enabled compression,
/// encryption and transformer plugins. New chunks are written with <see cref="ForWrite"/>; a chunk is read with the chain
/// its manifest entry names (<see cref="ForRead"/>), which fails with a clear error when that needs a plugin this pool
/// does not have enabled, so a file is never read with the wrong codec. A file without a codec is read raw whatever is
/// enabled.
/// </summary>
public sealed class BlockCodecs
{
    private readonly PoolConfig _config;
    private readonly PluginCatalog? _catalog;

    public BlockCodecs(PoolConfig config, PluginCatalog? catalog, PluginBlockCodec? compression, PluginBlockCodec? encryption, BlockTransform? transform)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _catalog = catalog;
        Compression = compression;
        Encryption = encryption;
        Transform = transform;
    }

    /// <summary>Built-in zstd only, as <paramref name="config"/> says (a pool without plugins).</summary>
    public static BlockCodecs BuiltIn(PoolConfig config) => new(config, null, null, null, null);

    public PluginBlockCodec? Compression { get; }

    public PluginBlockCodec? Encryption { get; }

    public BlockTransform? Transform { get; }

    /// <summary>
    /// False while an encryption or transformer plugin is in use: small files are then stored as chunk objects through it,
    /// never inside their manifest (inline data would pass around the plugin).
    /// </summary>
    public bool AllowsInline => Encryption is null && Transform is null;

    /// <summary>
    /// The chain new chunks are written with, or null when nothing encodes them: the compression plugin while it is usable
    /// (else zstd with <c>enable_compression</c>), the encryption plugin, the transformer while it is trusted.
    /// </summary>
    public BlockCodecChain? ForWrite()
    {
        var plugin = Compression is { IsUsable: true } usable ? usable : null;
        var chain = new BlockCodecChain
        {
            Compression = plugin,
            Zstd = plugin is null && _config.EnableCompression,
            ZstdLevel = _config.CompressionLevel,
            Encryption = Encryption,
            Transform = Transform is { IsActive: true } transform ? transform : null,
        };
        return chain.Codec.IsRaw ? null : chain;
    }

    /// <summary>The chain that wrote <paramref name="chunk"/> of <paramref name="manifest"/> (a coded chunk); an Environment error naming the plugin when one it needs is not enabled.</summary>
    public BlockCodecChain ForRead(Manifest manifest, ChunkEntry chunk)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(chunk);
        if (!ChunkCodec.TryParse(chunk.Codec, out var codec) || codec.IsRaw)
        {
            throw new PoolException(PoolErrorKind.Integrity, $"Chunk {chunk.Index} of {manifest.Path} names the codec '{chunk.Codec}', which this rclonepool does not know; upgrade rclonepool.");
        }

        return new BlockCodecChain
        {
            Zstd = codec.Compression == ChunkCodec.Zstd,
            ZstdLevel = manifest.CompressionLevel ?? _config.CompressionLevel,
            Compression = codec.Compression is { } compression && compression != ChunkCodec.Zstd ? Require(Compression, compression, manifest) : null,
            Encryption = codec.Encryption is { } encryption ? Require(Encryption, encryption, manifest) : null,
            Transform = codec.Transformer is { } transformer ? (Transform?.Id == transformer ? Transform : throw Missing(transformer, manifest)) : null,
        };
    }

    /// <summary>The plugins the stored bytes of <paramref name="chunks"/> need, with their versions, for the manifest; null when none.</summary>
    public IReadOnlyList<CodecPlugin>? PluginsOf(IEnumerable<ChunkEntry> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var ids = chunks.Where(c => c.IsCompressed)
            .SelectMany(c => ChunkCodec.TryParse(c.Codec, out var codec) ? codec.PluginIds : [])
            .Distinct(StringComparer.Ordinal).ToList();
        return ids.Count == 0 ? null : [.. ids.Select(id => new CodecPlugin { Id = id, Version = VersionOf(id) ?? "unknown" })];
    }

    private PluginBlockCodec Require(PluginBlockCodec? enabled, string id, Manifest manifest) =>
        enabled?.Id == id ? enabled : throw Missing(id, manifest);

    private string? VersionOf(string id) => _catalog?.Plugins.FirstOrDefault(p => p.Id.ToString() == id)?.Metadata.Version;

    private PoolException Missing(string id, Manifest manifest)
    {
        var recorded = manifest.Plugins?.FirstOrDefault(p => p.Id == id)?.Version;
        var plugin = recorded is null ? id : $"{id} {recorded}";
        var type = PluginId.TryParse(id, out var parsed, out _) ? parsed.Type.Name() : "codec";
        var loaded = _catalog?.Plugins.FirstOrDefault(p => p.Id.ToString() == id);
        var advice = !_config.EnablePlugins
            ? $"plugins are off: set enable_plugins to true and run 'rclonepool plugins enable {id}'"
            : loaded is null
                ? $"no plugin of plugins_dir has that id: put it there with 'rclonepool plugins load PATH', then 'rclonepool plugins enable {id}'"
                : loaded.Enabled
                    ? "it is enabled but did not start (see the log): fix its plugin_settings or the plugin"
                    : $"it is in plugins_dir but not enabled: 'rclonepool plugins enable {id}'";
        return new PoolException(PoolErrorKind.Environment,
            $"{manifest.Path} was stored through the {type} plugin {plugin}, which this pool does not have in use; nothing of it was read. To read it, {advice}.");
    }
}
