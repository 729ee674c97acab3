using RclonePool.Core.Paths;

namespace RclonePool.Core.Pool;

/// <summary>
/// The pool façade every front end (CLI, WebDAV, REST) uses. Paths are pool paths; every byte returned is
/// verified against the manifest's hashes; a file becomes visible only when all of it is durable.
/// Failures are <see cref="Errors.PoolException"/>s (NotFound, Conflict, BadInput, NoSpace, Integrity, ...).
/// </summary>
public interface IPoolFileSystem
{
    /// <summary>The entry at a path (file, directory object or implied directory), or null. The root always exists.</summary>
    ValueTask<PoolEntry?> StatAsync(PoolPath path, CancellationToken cancellationToken);

    /// <summary>Children of a directory (or all descendants), sorted by path. NotFound when the directory does not exist.</summary>
    IAsyncEnumerable<PoolEntry> ListAsync(PoolPath directory, bool recursive, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a file from a stream read once front to back. <paramref name="length"/> is exact, or -1 when
    /// unknown (the content is then spooled to <c>temp_dir</c> chunk by chunk). Refused before anything is
    /// written when the pool lacks the room. Parent directories are implied.
    /// </summary>
    Task<PoolEntry> PutAsync(PoolPath path, Stream content, long length, PutOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a verified read of <paramref name="count"/> bytes from <paramref name="offset"/> (count -1: to the end)
    /// of the file's current revision, pinned at open time. NotFound for a missing file, BadInput for a directory.
    /// </summary>
    Task<Stream> OpenReadAsync(PoolPath path, long offset, long count, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a verified read of the whole file as a download: what <see cref="OpenReadAsync"/> gives for offset 0 and
    /// count -1, and where the pool has hook points, PRE_DOWNLOAD now and POST_DOWNLOAD once the last byte has been
    /// read (not when the reader stops early). Front ends use it for whole-file transfers, not for ranged reads.
    /// </summary>
    Task<Stream> OpenDownloadAsync(PoolPath path, CancellationToken cancellationToken) => OpenReadAsync(path, 0, -1, cancellationToken);

    /// <summary>Deletes a file, or a directory (its whole subtree when <paramref name="recursive"/>; Conflict when not empty otherwise).</summary>
    Task DeleteAsync(PoolPath path, bool recursive, CancellationToken cancellationToken);

    /// <summary>Renames a file or a directory subtree by rewriting manifests (no data moves). Conflict when the target exists and !overwrite.</summary>
    Task MoveAsync(PoolPath from, PoolPath to, bool overwrite, CancellationToken cancellationToken);

    /// <summary>Copies a file or a directory subtree. Conflict when the target exists and !overwrite.</summary>
    Task CopyAsync(PoolPath from, PoolPath to, bool overwrite, CancellationToken cancellationToken);

    /// <summary>Creates a directory object (which survives while empty). Conflict when something exists there; NotFound when the parent is missing.</summary>
    Task MkdirAsync(PoolPath path, CancellationToken cancellationToken);

    /// <summary>Sets (value non-null) or removes (value null) dead properties of an entry, atomically.</summary>
    Task SetPropertiesAsync(PoolPath path, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken);

    /// <summary>Bytes the pool can still take (sum over remotes of free space), or null when unknown.</summary>
    ValueTask<long?> FreeBytesAsync(CancellationToken cancellationToken);
}
