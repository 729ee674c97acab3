using System.Buffers;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Caching;
using RclonePool.Core.Chunking;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool.Reading;

namespace RclonePool.Core.Pool;

/// <summary>The read path (docs/read-path.md): verified ranged reads through the shared chunk cache, with prefetch.</summary>
public sealed partial class StoragePool
{
    private readonly IChunkCache _chunkCache;
    private ReadPolicy? _readPolicy;

    /// <summary>The chunk cache every read of this pool shares (<see cref="NullChunkCache"/> when it is off).</summary>
    public IChunkCache ChunkCache => _chunkCache;

    /// <summary>What reads fetch on a miss and how far they prefetch; from the config unless set (tests, benchmarks).</summary>
    public ReadPolicy ReadPolicy
    {
        get => _readPolicy ??= ReadPolicy.FromConfig(Config);
        set => _readPolicy = value;
    }

    public async Task<Stream> OpenReadAsync(PoolPath path, long offset, long count, CancellationToken cancellationToken)
    {
        var manifest = await RequireFileAsync(path, cancellationToken);
        return OpenRead(manifest, offset, count);
    }

    /// <summary>
    /// A whole-file read bracketed by PRE_DOWNLOAD (now) and POST_DOWNLOAD (when the last byte has been read), as the
    /// CLI's download publishes them; a reader that stops early (a client that disconnects) gets no POST_DOWNLOAD.
    /// </summary>
    public async Task<Stream> OpenDownloadAsync(PoolPath path, CancellationToken cancellationToken)
    {
        var manifest = await RequireFileAsync(path, cancellationToken);
        var entry = ToEntry(manifest);
        OnDownloading(entry);
        if (manifest.Size == 0)
        {
            OnDownloaded(entry, 0);
            return Stream.Null;
        }

        return new CompletionStream(OpenRead(manifest, 0, manifest.Size), manifest.Size, () => OnDownloaded(entry, manifest.Size));
    }

    /// <summary>A verified read of a pinned revision, through the chunk cache.</summary>
    public Stream OpenRead(Manifest manifest, long offset, long count) => OpenRead(manifest, offset, count, _chunkCache, ReadPolicy);

    private Stream OpenRead(Manifest manifest, long offset, long count, IChunkCache cache, ReadPolicy policy)
    {
        var (start, length) = ChunkLayout.Clamp(manifest.Size, offset, count);
        return length == 0
            ? Stream.Null
            : new VerifiedReadStream(manifest, _store, RemoteOf, cache, policy, start, length, ReportReadDamage);
    }

    /// <summary>A read went around a missing or damaged copy or shard: say so (log line and CHUNK_MISSING), once per object and read.</summary>
    private void ReportReadDamage(Manifest manifest, ChunkEntry chunk, ChunkLocation location, PoolException damage)
    {
        _logger.LogWarning("Reading {Path}: chunk {Chunk} on {Remote} is unavailable or damaged ({Error}); read from the other copies or shards. Run 'rclonepool health' and 'rclonepool rebuild'.", manifest.Path, chunk.Index, location.Remote, damage.Message);
        Events.Publish(new PoolEvent { Type = PoolEventType.ChunkMissing, Path = manifest.Path, Chunk = chunk.Index, Remote = location.Remote, Object = location.Object, Operation = "read", Detail = damage.Message });
    }

    /// <summary>
    /// Downloads a file to a local path: chunks are fetched concurrently into a temporary file beside the
    /// destination, every byte verified, and the file is renamed into place only when complete. Straight from the
    /// remotes: the chunks are fetched in parallel already, and a download would only churn the cache.
    /// </summary>
    public async Task DownloadToFileAsync(PoolPath path, string destination, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var manifest = await RequireFileAsync(path, cancellationToken);
        var directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        if (!Directory.Exists(directory))
        {
            throw new PoolException(PoolErrorKind.BadInput, $"The local directory {directory} does not exist; create it first.");
        }

        var partial = Path.Combine(directory, $".{Path.GetFileName(destination)}.rclonepool-{Guid.NewGuid():N}.partial");
        long done = 0;
        try
        {
            using (var handle = File.OpenHandle(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.Asynchronous, manifest.Size))
            {
                await Parallel.ForEachAsync(manifest.Chunks, new ParallelOptions { MaxDegreeOfParallelism = Workers(workers), CancellationToken = cancellationToken }, async (chunk, ct) =>
                {
                    await using var source = OpenRead(manifest, chunk.Offset, chunk.Length, NullChunkCache.Instance, ReadPolicy.Direct);
                    var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
                    try
                    {
                        var position = chunk.Offset;
                        int read;
                        while ((read = await source.ReadAsync(buffer.AsMemory(0, 1 << 20), ct)) > 0)
                        {
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
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private async Task<Manifest> RequireFileAsync(PoolPath path, CancellationToken cancellationToken)
    {
        var manifest = await _index.GetAsync(path, cancellationToken);
        if (manifest is null)
        {
            throw await _index.ExistsAsync(path, cancellationToken) || path.IsRoot
                ? PoolErrors.IsDirectory(path)
                : PoolErrors.NotFound(path);
        }

        return manifest.Kind == EntryKind.Directory ? throw PoolErrors.IsDirectory(path) : manifest;
    }
}
