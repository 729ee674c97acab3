using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Index;

/// <summary>
/// A rebuildable cache of the pool's manifests answering listings and lookups without touching remotes.
/// SQLite is the embedded implementation; nothing outside the index layer writes SQL. Safe for several
/// processes on one machine.
/// </summary>
public interface IPoolIndex : IAsyncDisposable
{
    /// <summary>False until a rebuild from the remotes has completed once (a fresh or reset index).</summary>
    ValueTask<bool> IsPopulatedAsync(CancellationToken cancellationToken);

    /// <summary>The current manifest at a path, or null.</summary>
    ValueTask<Manifest?> GetAsync(PoolPath path, CancellationToken cancellationToken);

    /// <summary>The current manifest of a file id, or null.</summary>
    ValueTask<Manifest?> GetByIdAsync(string fileId, CancellationToken cancellationToken);

    /// <summary>True when something (a file, a directory object, or a directory implied by a file below it) is at the path.</summary>
    ValueTask<bool> ExistsAsync(PoolPath path, CancellationToken cancellationToken);

    /// <summary><see cref="GetAsync"/> and <see cref="ExistsAsync"/> in one lookup (a stat, or the check before a write).</summary>
    ValueTask<IndexLookup> LookupAsync(PoolPath path, CancellationToken cancellationToken);

    /// <summary>Direct children of a directory (or all descendants), sorted by path; implied directories included.</summary>
    IAsyncEnumerable<IndexEntry> ListAsync(PoolPath directory, bool recursive, CancellationToken cancellationToken);

    /// <summary>Records a manifest revision; an older revision than the stored one for its file id is ignored.</summary>
    ValueTask PutAsync(Manifest manifest, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="PutAsync(Manifest, CancellationToken)"/>, given the manifest's <see cref="ManifestSerializer"/>
    /// bytes that the caller already made (to write it to the remotes), so it is not serialised twice.
    /// </summary>
    ValueTask PutAsync(Manifest manifest, byte[] serialized, CancellationToken cancellationToken);

    /// <summary>Forgets a file id.</summary>
    ValueTask RemoveAsync(string fileId, CancellationToken cancellationToken);

    /// <summary>Replaces the whole content with the given manifests and marks the index populated.</summary>
    ValueTask ReplaceAllAsync(IEnumerable<Manifest> manifests, CancellationToken cancellationToken);

    /// <summary>Whether any file of <paramref name="size"/> bytes exists (one indexed lookup, no manifest read).</summary>
    ValueTask<bool> AnyFileOfSizeAsync(long size, CancellationToken cancellationToken);

    /// <summary>Files with this content (SHA-256 hex and size), at most <paramref name="limit"/>: duplicate candidates.</summary>
    ValueTask<IReadOnlyList<Manifest>> FilesWithContentAsync(long size, string sha256, int limit, CancellationToken cancellationToken);

    /// <summary>Plain bytes the pool's current manifests store on each remote (placement fallback when about is unknown).</summary>
    ValueTask<IReadOnlyDictionary<string, long>> StoredBytesByRemoteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The pool's totals (files, directories, logical bytes; objects and stored bytes per remote), kept up to date as the
    /// index changes so that the answer costs the same however many files the pool holds. One consistent snapshot.
    /// </summary>
    ValueTask<PoolTotals> TotalsAsync(CancellationToken cancellationToken);
}
