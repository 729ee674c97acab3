using System.IO.Hashing;
using System.Security.Cryptography;

namespace RclonePool.Core.Integrity;

/// <summary>
/// Hashes a chunk's bytes as they pass, in any slice sizes: SHA-256 of the whole chunk and one block digest
/// per <c>blockSize</c> bytes. Call <see cref="Complete"/> once at the end (or <see cref="CompleteBlocks"/> for a hasher
/// made without the SHA-256).
/// </summary>
public sealed class ChunkHasher : IDisposable
{
    private readonly IncrementalHash? _sha256;
    private readonly XxHash128 _block = new();
    private readonly int _blockSize;
    private readonly MemoryStream _digests = new();
    private int _inBlock;

    public ChunkHasher(int blockSize)
        : this(blockSize, wholeChunk: true)
    {
    }

    /// <param name="blockSize">Bytes per block digest.</param>
    /// <param name="wholeChunk">
    /// False: block digests only, no SHA-256 (a lookup key, about ten times cheaper; <see cref="Complete"/> then throws).
    /// </param>
    public ChunkHasher(int blockSize, bool wholeChunk)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        _blockSize = blockSize;
        _sha256 = wholeChunk ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    public long BytesHashed { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        _sha256?.AppendData(data);
        BytesHashed += data.Length;
        while (!data.IsEmpty)
        {
            var take = Math.Min(data.Length, _blockSize - _inBlock);
            _block.Append(data[..take]);
            _inBlock += take;
            data = data[take..];
            if (_inBlock == _blockSize)
            {
                FlushBlock();
            }
        }
    }

    /// <summary>Returns the chunk's SHA-256 (lowercase hex) and its block digests (base64).</summary>
    public (string Sha256, string BlockHashes) Complete()
    {
        var sha256 = _sha256 ?? throw new InvalidOperationException("This hasher was made without the SHA-256: use CompleteBlocks.");
        var blocks = CompleteBlocks();
        return (Convert.ToHexStringLower(sha256.GetHashAndReset()), blocks);
    }

    /// <summary>Returns the block digests (base64) only.</summary>
    public string CompleteBlocks()
    {
        if (_inBlock > 0)
        {
            FlushBlock();
        }

        return Convert.ToBase64String(_digests.GetBuffer(), 0, (int)_digests.Length);
    }

    public void Dispose()
    {
        _sha256?.Dispose();
        _digests.Dispose();
    }

    private void FlushBlock()
    {
        Span<byte> digest = stackalloc byte[BlockDigest.Size];
        _block.GetHashAndReset(digest);
        _digests.Write(digest);
        _inBlock = 0;
    }
}
