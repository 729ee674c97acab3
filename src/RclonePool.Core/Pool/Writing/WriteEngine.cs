namespace RclonePool.Core.Pool.Writing;

/// <summary>The write engine of one pool: its parts, built once over the pool's context, in dependency order.</summary>
internal sealed class WriteEngine
{
    public WriteEngine(PoolContext pool)
    {
        var markers = new SharedContentMarkers(pool);
        Reclaimer = new ObjectReclaimer(pool, markers);
        var claims = new ContentClaims(pool);
        Chunks = new ChunkWriter(pool, claims);
        Revisions = new EntryRevisions(pool, Reclaimer);
        Uploader = new FileUploader(pool, Chunks, new DuplicateFinder(pool, markers, claims), Reclaimer, claims);
    }

    /// <summary>Stores chunks: single objects, copies, stripes.</summary>
    public ChunkWriter Chunks { get; }

    /// <summary>Removes objects nothing needs any more.</summary>
    public ObjectReclaimer Reclaimer { get; }

    /// <summary>Writes whole files.</summary>
    public FileUploader Uploader { get; }

    /// <summary>Writes manifest-only changes and removes entries.</summary>
    public EntryRevisions Revisions { get; }
}
