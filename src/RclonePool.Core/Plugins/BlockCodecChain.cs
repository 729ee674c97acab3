using RclonePool.Core.Manifests;

namespace RclonePool.Core.Plugins;

/// <summary>
/// How the hash blocks of one chunk become its stored form, and back: compression (built-in zstd at
/// <see cref="ZstdLevel"/>, or a compression plugin), then an encryption plugin, then a transformer plugin, each stage
/// optional. <see cref="Codec"/> is what the chunk's manifest entry records. Immutable; a chunk's work is done by a
/// <see cref="BlockEncoder"/> or a <see cref="BlockDecoder"/> made from it.
/// </summary>
public sealed record BlockCodecChain
{
    public int ZstdLevel { get; init; } = 3;

    /// <summary>The compression plugin, when the chain compresses with one (else zstd, when <see cref="ChunkCodec.Compression"/> is "zstd").</summary>
    public PluginBlockCodec? Compression { get; init; }

    public PluginBlockCodec? Encryption { get; init; }

    public BlockTransform? Transform { get; init; }

    /// <summary>True when the chain compresses with zstd.</summary>
    public bool Zstd { get; init; }

    public ChunkCodec Codec => new(Zstd ? ChunkCodec.Zstd : Compression?.Id, Encryption?.Id, Transform?.Id);

    /// <summary>True when some stage compresses.</summary>
    public bool Compresses => Zstd || Compression is not null;

    /// <summary>True when only compression is applied: a chunk that does not shrink is then better stored raw.</summary>
    public bool OnlyCompresses => Compresses && Encryption is null && Transform is null;

    /// <summary>The chain without its compression stage (for a chunk that does not compress); null when nothing is left.</summary>
    public BlockCodecChain? WithoutCompression()
    {
        var rest = this with { Zstd = false, Compression = null };
        return rest.Codec.IsRaw ? null : rest;
    }
}
