using System.Buffers;
using RclonePool.Core.Compression;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using ZstdSharp;

namespace RclonePool.Core.Plugins;

/// <summary>
/// Encodes the blocks of one chunk, in order, through a <see cref="BlockCodecChain"/>: compress (kept only where it
/// shrinks the block; a compression plugin that fails on a block leaves that block raw), encrypt (a failure fails the
/// chunk: nothing meant to be encrypted is stored in the clear), transform in place at the block's offset in the stored
/// form. <see cref="Codec"/> is what the chunk records once done (a transformer refused on the first block is left out).
/// Not thread-safe; holds two pooled buffers.
/// </summary>
public sealed class BlockEncoder : IDisposable
{
    private readonly BlockCodecChain _chain;
    private Compressor? _zstd;
    private byte[]? _frame;
    private byte[]? _out;
    private bool _transform;

    public BlockEncoder(BlockCodecChain chain, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _chain = chain;
        _transform = chain.Transform is not null;
        if (chain.Zstd)
        {
            _zstd = ZstdCompressors.Rent(chain.ZstdLevel);
            _frame = ArrayPool<byte>.Shared.Rent(ZstdBlocks.Bound(blockSize));
        }

        _out = ArrayPool<byte>.Shared.Rent(blockSize + ChunkCodec.MaxBlockGrowth);
    }

    public ChunkCodec Codec => _chain.Codec with { Transformer = _transform ? _chain.Transform!.Id : null };

    /// <summary>The stored bytes of <paramref name="plain"/>, block <paramref name="block"/> of the chunk, which lies at <paramref name="storedOffset"/> of the stored form; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Encode(ReadOnlyMemory<byte> plain, int block, long storedOffset)
    {
        var inner = plain;
        if (_zstd is not null)
        {
            var written = ZstdBlocks.CompressOrRaw(_zstd, plain.Span, _frame);
            LastZstdLength = written;
            inner = written > 0 ? _frame.AsMemory(0, written) : plain;
        }
        else if (_chain.Compression?.TryEncode(plain.Span) is { } compressed && compressed.Length < plain.Length)
        {
            inner = compressed;
        }

        if (_chain.Encryption is { } encryption)
        {
            inner = encryption.TryEncode(inner.Span) ?? throw new PoolException(PoolErrorKind.Environment,
                $"{encryption.Title} did not encrypt a block{(encryption.Guard.IsDisabled ? " and is disabled" : string.Empty)}; nothing of the file was stored unencrypted. Fix the plugin (see the log) or disable it with 'rclonepool plugins disable {encryption.Id}', then upload again.");
        }

        if (!_transform)
        {
            return inner;
        }

        var output = _out.AsMemory(0, inner.Length);
        inner.CopyTo(output);
        if (!_chain.Transform!.Encode(output.Span, storedOffset))
        {
            if (block > 0)
            {
                throw new PoolException(PoolErrorKind.Transient, $"Transformer plugin {_chain.Transform.Id} was refused while a chunk was half transformed; upload the file again (it is stored without the transformer then).");
            }

            _transform = false; // refused on this chunk's first block: nothing of it was transformed
            return inner;
        }

        return output;
    }

    /// <summary>
    /// The length of the zstd frame the last <see cref="Encode"/> made of its block before the later stages, 0 when the
    /// block stayed raw (or the chain has no zstd stage).
    /// </summary>
    public int LastZstdLength { get; private set; }

    public void Dispose()
    {
        if (_zstd is not null)
        {
            ZstdCompressors.Return(_chain.ZstdLevel, _zstd);
            _zstd = null;
        }

        if (_frame is not null)
        {
            ArrayPool<byte>.Shared.Return(_frame);
            _frame = null;
        }

        if (_out is not null)
        {
            ArrayPool<byte>.Shared.Return(_out);
            _out = null;
        }
    }
}
