using RclonePool.Core.Compression;
using RclonePool.Core.Errors;
using ZstdSharp;

namespace RclonePool.Core.Plugins;

/// <summary>
/// Turns stored blocks of chunks written through a <see cref="BlockCodecChain"/> back into plain blocks: undoes the
/// transformer (in place), decrypts, and decompresses a block whose bytes are shorter than the plain block (one as long
/// is raw). A plugin that fails is an Environment error naming it; a block that does not decode is reported as false,
/// and the caller's digest check is the last word. Not thread-safe.
/// </summary>
public sealed class BlockDecoder : IDisposable
{
    private Decompressor? _zstd;

    /// <summary>
    /// Restores <paramref name="plain"/> from <paramref name="stored"/> (changed in place by a transformer), which lies at
    /// <paramref name="storedOffset"/> of its chunk's stored form; <paramref name="what"/> names the block in messages.
    /// </summary>
    public bool TryDecode(BlockCodecChain chain, Span<byte> stored, long storedOffset, Span<byte> plain, string what)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Transform is { } transform && !transform.Decode(stored, storedOffset))
        {
            throw new PoolException(PoolErrorKind.Environment,
                $"Transformer plugin {transform.Id} is not trusted in this process (its round trip failed, see the log), and {what} needs it; nothing of it was served. Fix the plugin, then read it again.");
        }

        ReadOnlySpan<byte> inner = stored;
        if (chain.Encryption is { } encryption)
        {
            inner = encryption.Decode(stored, plain.Length, what);
        }

        if (inner.Length == plain.Length)
        {
            inner.CopyTo(plain);
            return true;
        }

        if (chain.Zstd)
        {
            _zstd ??= new Decompressor();
            return inner.Length < plain.Length && ZstdBlocks.TryDecode(_zstd, inner, plain);
        }

        if (chain.Compression is { } compression && inner.Length < plain.Length)
        {
            var decompressed = compression.Decode(inner, plain.Length, what);
            if (decompressed.Length != plain.Length)
            {
                return false;
            }

            decompressed.CopyTo(plain);
            return true;
        }

        return false;
    }

    public void Dispose() => _zstd?.Dispose();
}
