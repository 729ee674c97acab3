using System.Buffers;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Caching;
using RclonePool.Core.Chunking;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.IO;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool.Reading;

/// <summary>The read path (docs/read-path.md): verified ranged reads of a pinned revision, through a chunk cache, with prefetch.</summary>
internal sealed class PoolReader(PoolContext pool)
{
    private const int DownloadBuffer = 1 << 20;

    /// <summary>The remotes this pool reads from local files, learned by its reads (long reads of them skip the cache).</summary>
    private readonly LocalFileRemotes _localFiles = new();

    /// <summary>A verified read of a pinned revision, through the pool's chunk cache and read policy.</summary>
    public Stream Open(Manifest manifest, long offset, long count) => Open(manifest, offset, count, pool.ChunkCache, pool.ReadPolicy);

    /// <summary>A verified read straight from the remotes: no cache, no prefetch (downloads, rebuild).</summary>
    public Stream OpenDirect(Manifest manifest, long offset, long count) => Open(manifest, offset, count, NullChunkCache.Instance, ReadPolicy.Direct);

    private Stream Open(Manifest manifest, long offset, long count, IChunkCache cache, ReadPolicy policy)
    {
        var (start, length) = ChunkLayout.Clamp(manifest.Size, offset, count);
        if (length == 0)
        {
            return Stream.Null;
        }

        // Coded chunks: the read fetches (and verifies, caches, rebuilds) their stored bytes, then decodes; a codec plugin
        // the file needs and this pool lacks fails the read here, before any byte.
        return manifest.Chunks.Any(c => c.IsCompressed)
            ? new CompressedReadStream(manifest, CodecsOf(manifest), start, length, (view, from, bytes) => new VerifiedReadStream(view, pool.Store, pool.RemoteOf, StoredCache(view, from, bytes, cache, policy), policy, from, bytes, ReportDamage, _localFiles))
            : new VerifiedReadStream(manifest, pool.Store, pool.RemoteOf, cache, policy, start, length, ReportDamage, _localFiles);
    }

    /// <summary>
    /// The cache a short read of stored bytes (<paramref name="from"/>, <paramref name="bytes"/> of the stored view)
    /// goes through: none when every chunk it touches is stored as copies whose first copy is a local file (learned
    /// by earlier reads, <see cref="LocalFileRemotes"/>). A seek in a compressed file then reads its one or two stored
    /// blocks from the page cache and checks them, instead of staging them through a cache file and reading them back
    /// (docs/efficiency.md, seek20: a third of a compressed seek's time). A long read decides for itself
    /// (<see cref="VerifiedReadStream"/>, read-through); a read of a remote that is not a local file keeps the cache.
    /// </summary>
    private IChunkCache StoredCache(Manifest view, long from, long bytes, IChunkCache cache, ReadPolicy policy)
    {
        if (!cache.IsEnabled || bytes >= policy.ReadThroughMinBytes)
        {
            return cache;
        }

        foreach (var chunk in view.Chunks)
        {
            if (chunk.Offset + chunk.Length <= from || chunk.Offset >= from + bytes)
            {
                continue;
            }

            if (chunk.Inline is not null || chunk.Locations.Count == 0 || chunk.Locations.Any(l => l.Role == LocationRole.Shard) || !_localFiles.Contains(chunk.Locations[0].Remote))
            {
                return cache;
            }
        }

        return NullChunkCache.Instance;
    }

    /// <summary>The codec chain of each coded chunk of <paramref name="manifest"/> (null for raw chunks), one per distinct codec.</summary>
    private Plugins.BlockCodecChain?[] CodecsOf(Manifest manifest)
    {
        var chains = new Dictionary<string, Plugins.BlockCodecChain>(StringComparer.Ordinal);
        return [.. manifest.Chunks.Select(c => c.Codec is { } codec
            ? chains.TryGetValue(codec, out var chain) ? chain : chains[codec] = pool.Codecs.ForRead(manifest, c)
            : null)];
    }

    /// <summary>
    /// Downloads a file to a local path: chunks are fetched concurrently into a temporary file beside the
    /// destination, every byte verified, and the file is renamed into place only when complete. Straight from the
    /// remotes: the chunks are fetched in parallel already, and a download would only churn the cache. The temporary
    /// file is sparse (its length set, no blocks allocated: preallocated blocks are unwritten extents the file system
    /// converts again on writeback); the free space is checked first instead. Each worker writes whole <see cref="DownloadBuffer"/> pieces and advises the
    /// kernel of its next piece before writing the current one (<see cref="PageCacheAdvice"/>): the page cache the
    /// write needs is then set up outside the file's write lock, which all writers of one file share.
    /// </summary>
    public async Task DownloadToFileAsync(Manifest manifest, string destination, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        if (!Directory.Exists(directory))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local directory {directory} does not exist; create it first.");
        }

        if (DiskErrors.FreeBytes(directory) is { } free && free < manifest.Size)
        {
            throw new PoolException(PoolErrorKind.NoSpace,
                $"{manifest.Path} is {Units.FormatBytes(manifest.Size)}, and only {Units.FormatBytes(free)} is free on the disk of {directory}; nothing was written. Free space there, or download to another disk.");
        }

        var partial = Path.Combine(directory, $".{Path.GetFileName(destination)}.rclonepool-{Guid.NewGuid():N}.partial");
        long done = 0;
        try
        {
            using (var handle = File.OpenHandle(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous))
            {
                RandomAccess.SetLength(handle, manifest.Size);
                await Parallel.ForEachAsync(manifest.Chunks, new ParallelOptions { MaxDegreeOfParallelism = await pool.WorkersAsync(workers, cancellationToken), CancellationToken = cancellationToken }, async (chunk, ct) =>
                {
                    await using var source = OpenDirect(manifest, chunk.Offset, chunk.Length);
                    var buffer = ArrayPool<byte>.Shared.Rent(DownloadBuffer);
                    try
                    {
                        var position = chunk.Offset;
                        int read;
                        while ((read = await source.ReadAtLeastAsync(buffer.AsMemory(0, DownloadBuffer), DownloadBuffer, throwOnEndOfStream: false, ct)) > 0)
                        {
                            PageCacheAdvice.WillWrite(handle, position + read, Math.Min(DownloadBuffer, chunk.Offset + chunk.Length - position - read));
                            await RandomAccess.WriteAsync(handle, buffer.AsMemory(0, read), position, ct);
                            position += read;
                            progress?.Report(Interlocked.Add(ref done, read));
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                });
            }

            File.Move(partial, destination, overwrite: true);
            File.SetLastWriteTimeUtc(destination, manifest.Modified.UtcDateTime);
        }
        catch (Exception e) when (DiskErrors.IsDiskFull(e))
        {
            File.Delete(partial);
            throw new PoolException(PoolErrorKind.NoSpace,
                $"The disk of {directory} filled up while {manifest.Path} was downloaded to it; the partial file was removed and {destination} is unchanged. Free space there, or download to another disk.", e);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>A read went around a missing or damaged copy or shard: say so (log line and CHUNK_MISSING), once per object and read.</summary>
    private void ReportDamage(Manifest manifest, ChunkEntry chunk, ChunkLocation location, PoolException damage)
    {
        pool.Logger.LogWarning("Reading {Path}: chunk {Chunk} on {Remote} is unavailable or damaged ({Error}); read from the other copies or shards. Run 'rclonepool health' and 'rclonepool rebuild'.", manifest.Path, chunk.Index, location.Remote, damage.Message);
        pool.Events.Publish(new PoolEvent { Type = PoolEventType.ChunkMissing, Path = manifest.Path, Chunk = chunk.Index, Remote = location.Remote, Object = location.Object, Operation = "read", Detail = damage.Message });
    }
}
