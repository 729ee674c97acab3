using System.Buffers;
using System.Security.Cryptography;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Integrity;

/// <summary>
/// Checks one stored chunk object: its listed size against the manifest, and (when read) its bytes against the
/// chunk's SHA-256 and block hashes. Reads stream through one rented buffer, so memory does not grow with chunk size.
/// </summary>
public static class ChunkCheck
{
    private const int BufferSize = 256 * 1024;

    /// <summary>Bytes the object should hold.</summary>
    public static long ExpectedLength(ChunkEntry chunk, ChunkLocation location) => location.StoredLength > 0 ? location.StoredLength : chunk.StoredForm().Length;

    /// <summary>The damage a listed size shows, or null when it is right.</summary>
    public static (DamageKind Kind, string Detail)? BySize(ChunkEntry chunk, ChunkLocation location, long size)
    {
        var expected = ExpectedLength(chunk, location);
        if (size < expected)
        {
            return (DamageKind.Truncated, $"the object holds {size} of its {expected} bytes");
        }

        return size > expected ? (DamageKind.Corrupt, $"the object holds {size} bytes where {expected} were stored") : null;
    }

    /// <summary>Streams the object and checks it (a parity shard row by row, see <see cref="ShardByContentAsync"/>); null when it is intact.</summary>
    public static Task<(DamageKind Kind, string Detail)?> ByContentAsync(
        IRemoteStore store, RemotePath path, Manifest manifest, ChunkEntry chunk, ChunkLocation location, Action<int>? onRead, CancellationToken cancellationToken)
    {
        // Objects hold a compressed chunk's stored form: that is what their bytes are checked against.
        var stored = chunk.StoredForm();
        return location.Role == LocationRole.Shard
            ? ShardByContentAsync(store, path, new StripeGeometry(stored.Length, manifest.BlockSize, manifest.Redundancy.DataShards, manifest.Redundancy.ParityShards), stored, location, onRead, cancellationToken)
            : CopyByContentAsync(store, path, stored, location, manifest.BlockSize, onRead, cancellationToken);
    }

    /// <summary>
    /// Streams one shard of a stripe and checks each of its blocks: a data shard's against the chunk's block digests
    /// (shard s holds blocks s, s + k, ...), a parity shard's against the digests recorded for it.
    /// </summary>
    public static async Task<(DamageKind Kind, string Detail)?> ShardByContentAsync(
        IRemoteStore store, RemotePath path, StripeGeometry geometry, ChunkEntry chunk, ChunkLocation location, Action<int>? onRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        chunk = chunk.StoredForm();
        var shard = location.Shard ?? 0;
        var digests = Convert.FromBase64String(shard < geometry.DataShards ? chunk.BlockHashes : location.BlockHashes ?? string.Empty);
        var checkable = shard < geometry.DataShards || location.BlockHashes is not null;
        var expected = geometry.ShardLength(shard);
        var buffer = ArrayPool<byte>.Shared.Rent(geometry.BlockSize + 1);
        try
        {
            if (await OpenOrNullAsync(store, path, cancellationToken) is not { } stream)
            {
                return (DamageKind.Missing, "the object does not exist");
            }

            await using (stream)
            {
                long total = 0;
                for (var row = 0; row < geometry.RowCount; row++)
                {
                    var want = geometry.ShardBlockLength(shard, row);
                    if (want == 0)
                    {
                        continue; // a block past the chunk's end: nothing stored
                    }

                    var read = await stream.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken);
                    total += read;
                    onRead?.Invoke(read);
                    if (read < want)
                    {
                        return (DamageKind.Truncated, $"the object holds {total} of its {expected} bytes");
                    }

                    var block = shard < geometry.DataShards ? (row * geometry.DataShards) + shard : row;
                    if (checkable && !BlockDigest.Matches(buffer.AsSpan(0, want), digests, block))
                    {
                        return (DamageKind.Corrupt, $"shard {shard} does not match its hash at row {row} (bytes {geometry.RowOffset(row)}..{geometry.RowOffset(row) + want - 1} of the shard)");
                    }
                }

                if (await stream.ReadAsync(buffer.AsMemory(0, 1), cancellationToken) > 0)
                {
                    return (DamageKind.Corrupt, $"the object holds more than the {expected} bytes stored");
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new PoolException(PoolErrorKind.Transient, $"Reading {path} failed ({e.Message}).", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return null;
    }

    /// <summary>Opens the whole object, or null when it does not exist.</summary>
    private static async Task<Stream?> OpenOrNullAsync(IRemoteStore store, RemotePath path, CancellationToken cancellationToken)
    {
        try
        {
            return await store.OpenReadAsync(path, 0, -1, cancellationToken);
        }
        catch (PoolException e) when (e.Kind == PoolErrorKind.NotFound)
        {
            return null;
        }
    }

    private static async Task<(DamageKind Kind, string Detail)?> CopyByContentAsync(
        IRemoteStore store, RemotePath path, ChunkEntry chunk, ChunkLocation location, int blockSize, Action<int>? onRead, CancellationToken cancellationToken)
    {
        using var check = new CopyContentCheck(chunk, location, blockSize);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            if (await OpenOrNullAsync(store, path, cancellationToken) is not { } stream)
            {
                return (DamageKind.Missing, "the object does not exist");
            }

            await using (stream)
            {
                int read;
                while (!check.Overlong && (read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    check.Append(buffer.AsSpan(0, read));
                    onRead?.Invoke(read);
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new PoolException(PoolErrorKind.Transient, $"Reading {path} failed ({e.Message}).", e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return check.Complete();
    }
}
