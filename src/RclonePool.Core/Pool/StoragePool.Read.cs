using RclonePool.Core.Chunking;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool.Reading;

namespace RclonePool.Core.Pool;

/// <summary>Reads (docs/read-path.md): verified ranged reads through the shared chunk cache, with prefetch, and downloads.</summary>
public sealed partial class StoragePool
{
    public async Task<Stream> OpenReadAsync(PoolPath path, long offset, long count, CancellationToken cancellationToken)
    {
        var manifest = await RequireFileAsync(path, cancellationToken);
        Context.Traffic.Started(PoolOperation.Read);
        var (start, length) = ChunkLayout.Clamp(manifest.Size, offset, count);
        return length == 0 ? Stream.Null : new CompletionStream(Reader.Open(manifest, start, length), length, null, Context.Traffic);
    }

    /// <summary>
    /// A whole-file read bracketed by PRE_DOWNLOAD (now) and POST_DOWNLOAD (when the last byte has been read), as the
    /// CLI's download publishes them; a reader that stops early (a client that disconnects) gets no POST_DOWNLOAD. In
    /// between, when someone listens, PROGRESS events of operation "download" (at most four a second).
    /// </summary>
    public async Task<Stream> OpenDownloadAsync(PoolPath path, CancellationToken cancellationToken)
    {
        var manifest = await RequireFileAsync(path, cancellationToken);
        var entry = PoolEntry.Of(manifest);
        Context.Traffic.Started(PoolOperation.Download);
        OnDownloading(entry);
        if (manifest.Size == 0)
        {
            OnDownloaded(entry, 0);
            return Stream.Null;
        }

        var progress = Context.FileEvents.Progress("download", path, manifest.Size, null);
        return new CompletionStream(Reader.Open(manifest, 0, manifest.Size), manifest.Size, () => OnDownloaded(entry, manifest.Size), Context.Traffic, progress);
    }

    /// <summary>
    /// Downloads a file to a local path: chunks are fetched concurrently into a temporary file beside the
    /// destination, every byte verified, and the file is renamed into place only when complete.
    /// </summary>
    public async Task DownloadToFileAsync(PoolPath path, string destination, int? workers, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var manifest = await RequireFileAsync(path, cancellationToken);
        await Reader.DownloadToFileAsync(manifest, destination, workers, progress, cancellationToken);
    }

    /// <summary>PRE_DOWNLOAD for a read about to start; a front end that reads a whole file brackets it with this and <see cref="OnDownloaded"/>.</summary>
    public void OnDownloading(PoolEntry entry) => Context.FileEvents.Downloading(entry);

    /// <summary>POST_DOWNLOAD for a read that completed.</summary>
    public void OnDownloaded(PoolEntry entry, long bytes) => Context.FileEvents.Downloaded(entry, bytes);

    private async Task<Manifest> RequireFileAsync(PoolPath path, CancellationToken cancellationToken)
    {
        var manifest = await Context.Index.GetAsync(path, cancellationToken);
        if (manifest is null)
        {
            throw await Context.Index.ExistsAsync(path, cancellationToken) || path.IsRoot
                ? PoolErrors.IsDirectory(path)
                : PoolErrors.NotFound(path);
        }

        return manifest.Kind == EntryKind.Directory ? throw PoolErrors.IsDirectory(path) : manifest;
    }
}
