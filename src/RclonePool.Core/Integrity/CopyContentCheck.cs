using System.Security.Cryptography;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Integrity;

/// <summary>
/// Checks the bytes of one stored copy of a chunk as they stream by, in any slice sizes: against the SHA-256 of its
/// stored form and (for an uncompressed chunk) its block digests. <see cref="Complete"/> gives the damage, or null when
/// the copy is intact; call it once, at the end.
/// </summary>
public sealed class CopyContentCheck : IDisposable
{
    private readonly ChunkEntry _chunk;
    private readonly ChunkLocation _location;
    private readonly int _blockSize;
    private readonly long _expected;
    private readonly ChunkHasher? _hasher;
    private readonly IncrementalHash? _stored;
    private long _total;

    /// <param name="chunk">The chunk's stored form (<see cref="ChunkEntry.StoredForm"/>).</param>
    public CopyContentCheck(ChunkEntry chunk, ChunkLocation location, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(location);
        _chunk = chunk;
        _location = location;
        _blockSize = blockSize;
        _expected = ChunkCheck.ExpectedLength(chunk, location);
        _hasher = location.StoredSha256 is null ? new ChunkHasher(blockSize) : null;
        _stored = location.StoredSha256 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    /// <summary>True once more bytes went by than the copy should hold: the rest need not be read.</summary>
    public bool Overlong => _total > _expected;

    public void Append(ReadOnlySpan<byte> data)
    {
        _total += data.Length;
        if (Overlong)
        {
            return;
        }

        _hasher?.Append(data);
        _stored?.AppendData(data);
    }

    public (DamageKind Kind, string Detail)? Complete()
    {
        if (Overlong)
        {
            return (DamageKind.Corrupt, $"the object holds more than the {_expected} bytes stored");
        }

        if (_total < _expected)
        {
            return (DamageKind.Truncated, $"the object holds {_total} of its {_expected} bytes");
        }

        if (_stored is not null)
        {
            var actual = Convert.ToHexStringLower(_stored.GetHashAndReset());
            return string.Equals(actual, _location.StoredSha256, StringComparison.Ordinal) ? null : (DamageKind.Corrupt, "its SHA-256 does not match the manifest");
        }

        var (sha, blocks) = _hasher!.Complete();
        if (!string.Equals(sha, _chunk.Sha256, StringComparison.Ordinal))
        {
            return (DamageKind.Corrupt, $"its SHA-256 does not match the manifest{FirstBadBlock(blocks, _chunk.BlockHashes, _blockSize)}");
        }

        return string.Equals(blocks, _chunk.BlockHashes, StringComparison.Ordinal) ? null : (DamageKind.Corrupt, "its block hashes do not match the manifest");
    }

    public void Dispose()
    {
        _hasher?.Dispose();
        _stored?.Dispose();
    }

    private static string FirstBadBlock(string actualBase64, string expectedBase64, int blockSize)
    {
        var actual = Convert.FromBase64String(actualBase64);
        var expected = Convert.FromBase64String(expectedBase64);
        for (var i = 0; i * BlockDigest.Size < Math.Min(actual.Length, expected.Length); i++)
        {
            if (!actual.AsSpan(i * BlockDigest.Size, BlockDigest.Size).SequenceEqual(expected.AsSpan(i * BlockDigest.Size, BlockDigest.Size)))
            {
                return $" (first bad block {i}, bytes {(long)i * blockSize}..{((long)i + 1) * blockSize - 1} of the chunk)";
            }
        }

        return string.Empty;
    }
}
