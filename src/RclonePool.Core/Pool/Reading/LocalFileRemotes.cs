using System.Collections.Concurrent;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// The remotes one pool reads straight from local files (<c>local_direct_reads</c>), learned from the reads themselves:
/// a remote is noted the first time a read of one of its objects comes back as a local file. Over such a remote a long
/// read skips the chunk cache (docs/read-path.md): a second reader of the same blocks reads the page cache again, which
/// costs less than staging every byte through a cache file and reading it back. Thread-safe; one per pool.
/// </summary>
internal sealed class LocalFileRemotes
{
    private readonly ConcurrentDictionary<string, bool> _remotes = new(StringComparer.Ordinal);

    public void Note(string remote) => _remotes.TryAdd(remote, true);

    public bool Contains(string remote) => _remotes.ContainsKey(remote);
}
