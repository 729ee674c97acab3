using System.Collections.Concurrent;
using ZstdSharp;

namespace RclonePool.Core.Compression;

/// <summary>
/// zstd compression contexts kept for reuse, per level. A new context allocates and clears its match tables (about a
/// megabyte at level 3) on its first frame; a chunk of a small file is one or two 256 KiB blocks, so a context per chunk
/// cost more than compressing it. A reused context starts every frame afresh (<c>ZSTD_compress2</c> resets the session
/// and keeps the parameters), so the frames are the bytes a new context makes (a unit test holds this, since repair
/// relies on writing the same frames again). At most <see cref="KeptPerLevel"/> idle contexts are kept per level.
/// </summary>
public static class ZstdCompressors
{
    /// <summary>Idle contexts kept per level: about as many as chunks compress at once.</summary>
    public const int KeptPerLevel = 8;

    private static readonly ConcurrentDictionary<int, ConcurrentBag<Compressor>> Idle = new();

    /// <summary>A context at <paramref name="level"/>, for one thread at a time; give it back with <see cref="Return"/>.</summary>
    public static Compressor Rent(int level) =>
        Idle.TryGetValue(level, out var idle) && idle.TryTake(out var compressor) ? compressor : new Compressor(level);

    /// <summary>Keeps <paramref name="compressor"/> (rented at <paramref name="level"/>) for the next chunk, or disposes it when enough are kept.</summary>
    public static void Return(int level, Compressor compressor)
    {
        ArgumentNullException.ThrowIfNull(compressor);
        var idle = Idle.GetOrAdd(level, _ => []);
        if (idle.Count < KeptPerLevel)
        {
            idle.Add(compressor);
        }
        else
        {
            compressor.Dispose();
        }
    }
}
