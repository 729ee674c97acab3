using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// A revision as its objects hold it: every compressed chunk replaced by its stored form, laid end to end. The read path
/// (cache, prefetch, failover between copies, degraded stripe reads) works on this view unchanged, checking the stored
/// bytes against the stored block digests; <see cref="CompressedReadStream"/> turns them back into plain bytes.
/// </summary>
internal sealed class StoredView
{
    private StoredView(Manifest manifest, long[] offsets)
    {
        Manifest = manifest;
        Offsets = offsets;
    }

    /// <summary>The stored-form manifest (same file id, revision and objects; sizes and hashes of the stored bytes).</summary>
    public Manifest Manifest { get; }

    /// <summary>Where chunk i's stored form starts in the view.</summary>
    public IReadOnlyList<long> Offsets { get; }

    public static StoredView Of(Manifest manifest)
    {
        var offsets = new long[manifest.Chunks.Count];
        var chunks = new ChunkEntry[manifest.Chunks.Count];
        long at = 0;
        for (var i = 0; i < chunks.Length; i++)
        {
            offsets[i] = at;
            chunks[i] = manifest.Chunks[i].StoredForm() with { Offset = at };
            at += chunks[i].Length;
        }

        return new StoredView(manifest with { Size = at, Chunks = chunks }, offsets);
    }
}
