using RclonePool.Core.Manifests;

namespace RclonePool.Core.Compression;

/// <summary>
/// Where each hash block of a chunk lies in its stored form: for a compressed chunk the running sum of its stored
/// block lengths, for a raw chunk the plain layout. Maps a plain block to the stored bytes a read must fetch.
/// </summary>
public sealed class StoredBlockMap
{
    private readonly long[]? _starts;
    private readonly int _blockSize;
    private readonly long _plainLength;

    public StoredBlockMap(ChunkEntry chunk, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        _blockSize = blockSize;
        _plainLength = chunk.Length;
        if (chunk.StoredBlockLengths is { } lengths)
        {
            _starts = new long[lengths.Count + 1];
            for (var i = 0; i < lengths.Count; i++)
            {
                _starts[i + 1] = _starts[i] + lengths[i];
            }
        }

        StoredLength = _starts is null ? chunk.Length : _starts[^1];
    }

    /// <summary>Bytes of the chunk's stored form.</summary>
    public long StoredLength { get; }

    /// <summary>Plain bytes of block <paramref name="block"/>.</summary>
    public int PlainLength(int block) => (int)Math.Min(_blockSize, _plainLength - ((long)block * _blockSize));

    /// <summary>Offset of block <paramref name="block"/>'s stored bytes within the stored form.</summary>
    public long StoredStart(int block) => _starts is null ? (long)block * _blockSize : _starts[block];

    /// <summary>Stored bytes of block <paramref name="block"/>.</summary>
    public int StoredLengthOf(int block) => _starts is null ? PlainLength(block) : (int)(_starts[block + 1] - _starts[block]);
}
