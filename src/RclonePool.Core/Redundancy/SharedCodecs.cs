using System.Collections.Concurrent;
using RclonePool.Core.Redundancy.Codec;

namespace RclonePool.Core.Redundancy;

/// <summary>One codec per stripe shape for the whole process: codecs are thread-safe and cache their decode plans.</summary>
public static class SharedCodecs
{
    private static readonly ConcurrentDictionary<(int K, int M), ReedSolomonCodec> Codecs = new();

    public static ReedSolomonCodec For(int dataShards, int parityShards) =>
        Codecs.GetOrAdd((dataShards, parityShards), key => new ReedSolomonCodec(key.K, key.M));
}
