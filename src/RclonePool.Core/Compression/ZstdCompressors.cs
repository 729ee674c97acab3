using System.Collections.Concurrent;
using ZstdSharp;

namespace RclonePool.Core.Compression;

/// <summary>
/// The chunks' zstd contexts, one <see cref="CompressorPool"/> per level. A chunk of a small file is one or two 256 KiB
/// blocks, so a context per chunk (about a megabyte of match tables to clear at level 3) cost more than compressing it.
/// A unit test holds that a reused context writes the bytes a new one does, since repair relies on writing the same
/// frames again.
/// </summary>
public static class ZstdCompressors
{
    /// <summary>Idle contexts kept per level: about as many as chunks compress at once.</summary>
    public const int KeptPerLevel = 8;

    private static readonly ConcurrentDictionary<int, CompressorPool> Pools = new();

    /// <summary>A context at <paramref name="level"/>, for one thread at a time; give it back with <see cref="Return"/>.</summary>
    public static Compressor Rent(int level) => PoolOf(level).Rent();

    /// <summary>Keeps <paramref name="compressor"/> (rented at <paramref name="level"/>) for the next chunk, or disposes it when enough are kept.</summary>
    public static void Return(int level, Compressor compressor) => PoolOf(level).Return(compressor);

    private static CompressorPool PoolOf(int level) =>
        Pools.GetOrAdd(level, static level => new CompressorPool(() => new Compressor(level), KeptPerLevel));
}
