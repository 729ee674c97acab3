using System.Collections.Concurrent;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// The content-addressed chunks this process stored, by the block digests and length of their plain bytes
/// (<c>enable_deduplication</c> with compression, docs/efficiency.md): a chunk whose plain bytes were stored before is
/// found from its block digests (xxh128, an order of magnitude cheaper than SHA-256, so content never seen costs almost
/// nothing to look up), before it is compressed, where its object name (a keyed hash of the stored, compressed form)
/// would need the compression first. An entry is a hint only: the caller confirms the chunk's SHA-256 against the entry's
/// before it reuses anything (block digests are no cryptographic hash), then claims the object and checks it on its
/// remote before a manifest names it, as for any object it reuses. At most <see cref="Capacity"/> entries are kept (the
/// oldest is forgotten first), so a long upload's memory stays bounded.
/// </summary>
internal sealed class StoredForms
{
    /// <summary>Chunks remembered: with cdc's 4 MiB average, the last 16 GiB of plain content, in a few megabytes.</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<(string BlockHashes, long Length), ChunkEntry> _entries = new();
    private readonly ConcurrentQueue<(string BlockHashes, long Length)> _order = new();

    /// <summary>
    /// The entry a chunk with these plain block digests and length was stored under, or null. A candidate only: its
    /// <see cref="ChunkEntry.Sha256"/> must be compared with the chunk's before it is reused.
    /// </summary>
    public ChunkEntry? Find(string blockHashes, long length) => _entries.TryGetValue((blockHashes, length), out var entry) ? entry : null;

    /// <summary>Remembers <paramref name="entry"/> (a chunk stored whole under one content-addressed name) by its plain block digests.</summary>
    public void Remember(ChunkEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!IsReusable(entry))
        {
            return;
        }

        var key = (entry.BlockHashes, entry.Length);
        if (!_entries.TryAdd(key, entry))
        {
            return;
        }

        _order.Enqueue(key);
        while (_entries.Count > Capacity && _order.TryDequeue(out var oldest))
        {
            _entries.TryRemove(oldest, out _);
        }
    }

    /// <summary>
    /// True when every location of <paramref name="entry"/> is a whole copy (no shard) of one content-addressed object:
    /// what can be reused by checking that object on its remotes.
    /// </summary>
    public static bool IsReusable(ChunkEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Inline is null && entry.Locations.Count > 0
            && entry.Locations.All(l => l.Role != LocationRole.Shard && l.Object == entry.Locations[0].Object && ManifestNames.IsContentAddressed(l.Object));
    }
}
