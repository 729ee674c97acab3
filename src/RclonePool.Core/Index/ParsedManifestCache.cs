using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index;

/// <summary>
/// Parsed manifests of recently read index rows, so that a request does not parse the manifest JSON again (a 1 GiB
/// file's manifest is about 70 KB of JSON, most of it block digests). A manifest is immutable, and a row's
/// (file id, revision, written) names one revision exactly, so entries never need invalidating: a new revision is a
/// new key and the old one ages out. Bounded by the JSON bytes of the manifests held (a rough measure of their size
/// on the heap); the least recently used go first, and a manifest larger than a quarter of the bound is not kept.
/// </summary>
internal sealed class ParsedManifestCache
{
    /// <summary>The default bound: 64 MiB of manifest JSON (about a thousand 1 GiB files, or one 1.5 TiB file).</summary>
    public const long DefaultCapacityBytes = 64L * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<Key, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recency = new(); // first: most recently used
    private long _bytes;

    public ParsedManifestCache(long capacityBytes = DefaultCapacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    /// <summary>JSON bytes of the manifests held now.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(string fileId, long revision, long written, out Manifest manifest)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(new Key(fileId, revision, written), out var node))
            {
                if (_recency.First != node)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                }

                manifest = node.Value.Manifest;
                return true;
            }
        }

        manifest = null!;
        return false;
    }

    public void Add(string fileId, long revision, long written, Manifest manifest, long jsonBytes)
    {
        if (jsonBytes > CapacityBytes / 4)
        {
            return;
        }

        var key = new Key(fileId, revision, written);
        lock (_gate)
        {
            if (_entries.ContainsKey(key))
            {
                return;
            }

            var node = _recency.AddFirst(new Entry(key, manifest, jsonBytes));
            _entries.Add(key, node);
            _bytes += jsonBytes;
            while (_bytes > CapacityBytes && _recency.Last is { } last)
            {
                _recency.RemoveLast();
                _entries.Remove(last.Value.Key);
                _bytes -= last.Value.Bytes;
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _recency.Clear();
            _bytes = 0;
        }
    }

    private readonly record struct Key(string FileId, long Revision, long Written);

    private sealed record Entry(Key Key, Manifest Manifest, long Bytes);
}
