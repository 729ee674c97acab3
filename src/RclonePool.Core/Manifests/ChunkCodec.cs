namespace RclonePool.Core.Manifests;

/// <summary>
/// What a chunk's <c>codec</c> says about how each hash block of its stored form was made from the plain block: the
/// stages in the order they were applied, joined by ',' (docs/manifest-format.md). <see cref="Compression"/> is
/// <c>zstd</c> or a compression plugin's id; <see cref="Encryption"/> and <see cref="Transformer"/> are plugin ids. A
/// block is compressed, then encrypted, then transformed: "zstd", "compression:lz4,encryption:aes",
/// "zstd,transformer:xor". Under the other stages, a block whose bytes are as long as the plain block is raw.
/// </summary>
public sealed record ChunkCodec(string? Compression, string? Encryption, string? Transformer)
{
    /// <summary>The built-in compression (<c>Compression/ZstdBlocks</c>).</summary>
    public const string Zstd = "zstd";

    /// <summary>How many bytes encryption may add to a block (a nonce and a tag need far less); more is refused.</summary>
    public const int MaxBlockGrowth = 64 * 1024;

    private const string CompressionType = "compression:";
    private const string EncryptionType = "encryption:";
    private const string TransformerType = "transformer:";

    /// <summary>No stage at all: a raw chunk (no <c>codec</c>).</summary>
    public bool IsRaw => Compression is null && Encryption is null && Transformer is null;

    /// <summary>True when a stored block may be longer than its plain block (encryption adds its nonce and tag).</summary>
    public bool MayGrow => Encryption is not null;

    /// <summary>The plugin ids the stages name, in order (zstd is none).</summary>
    public IEnumerable<string> PluginIds
    {
        get
        {
            if (Compression is { } compression && compression != Zstd)
            {
                yield return compression;
            }

            if (Encryption is { } encryption)
            {
                yield return encryption;
            }

            if (Transformer is { } transformer)
            {
                yield return transformer;
            }
        }
    }

    /// <summary>The text a manifest records, or null for a raw chunk.</summary>
    public string? Name => IsRaw ? null : string.Join(',', new[] { Compression, Encryption, Transformer }.Where(s => s is not null));

    public override string ToString() => Name ?? "raw";

    /// <summary>Parses a chunk's <c>codec</c>; false when a stage is unknown, repeated or out of order.</summary>
    public static bool TryParse(string? text, out ChunkCodec codec)
    {
        codec = new ChunkCodec(null, null, null);
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var stage = 0;
        foreach (var part in text.Split(','))
        {
            var (order, next) = part switch
            {
                Zstd => (1, codec with { Compression = part }),
                _ when part.StartsWith(CompressionType, StringComparison.Ordinal) && IsName(part, CompressionType) => (1, codec with { Compression = part }),
                _ when part.StartsWith(EncryptionType, StringComparison.Ordinal) && IsName(part, EncryptionType) => (2, codec with { Encryption = part }),
                _ when part.StartsWith(TransformerType, StringComparison.Ordinal) && IsName(part, TransformerType) => (3, codec with { Transformer = part }),
                _ => (0, codec),
            };
            if (order <= stage)
            {
                codec = new ChunkCodec(null, null, null);
                return false;
            }

            stage = order;
            codec = next;
        }

        return true;
    }

    private static bool IsName(string part, string type)
    {
        var name = part.AsSpan(type.Length);
        if (name.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
