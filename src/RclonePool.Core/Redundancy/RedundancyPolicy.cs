using RclonePool.Core.Config;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Redundancy;

/// <summary>
/// The configured redundancy (<c>redundancy_mode</c>, <c>replication_factor</c>, <c>parity_data_shards</c>,
/// <c>parity_parity_shards</c>) and the scheme it gives each chunk. Hybrid: a chunk shorter than one full stripe row
/// (k hash blocks) is replicated, with at least m + 1 copies so that it survives as many lost remotes as a striped
/// chunk; longer chunks are parity-coded. Small files thus cost a few whole copies instead of k + m tiny objects,
/// and large files cost (k + m) / k.
/// </summary>
public sealed record RedundancyPolicy(string Mode, int Copies, int DataShards, int ParityShards)
{
    public static RedundancyPolicy None { get; } = new("none", 1, 0, 0);

    public static RedundancyPolicy FromConfig(PoolConfig config) => config.RedundancyMode switch
    {
        "replication" => new("replication", config.ReplicationFactor, 0, 0),
        "parity" => new("parity", 1, config.ParityDataShards, config.ParityParityShards),
        "hybrid" => new("hybrid", Math.Max(config.ReplicationFactor, config.ParityParityShards + 1), config.ParityDataShards, config.ParityParityShards),
        _ => None,
    };

    /// <summary>The scheme of a chunk of <paramref name="length"/> bytes cut into blocks of <paramref name="blockSize"/>.</summary>
    public ChunkScheme SchemeFor(long length, int blockSize) => Mode switch
    {
        "replication" => ChunkScheme.Replicated(Copies),
        "parity" => ChunkScheme.Striped(DataShards, ParityShards),
        "hybrid" => length < (long)DataShards * blockSize ? ChunkScheme.Replicated(Copies) : ChunkScheme.Striped(DataShards, ParityShards),
        _ => ChunkScheme.Single,
    };

    /// <summary>What a manifest records of this policy.</summary>
    public RedundancySpec ToSpec() => Mode == "none"
        ? RedundancySpec.None
        : new RedundancySpec { Mode = Mode, Copies = Copies, DataShards = DataShards, ParityShards = ParityShards };

    /// <summary>Stored bytes for a chunk of <paramref name="length"/> (for the room check before an upload).</summary>
    public IEnumerable<long> StoredObjects(long length, int blockSize)
    {
        var scheme = SchemeFor(length, blockSize);
        if (scheme.Kind != ChunkSchemeKind.Striped)
        {
            return Enumerable.Repeat(length, scheme.Copies);
        }

        var geometry = new StripeGeometry(length, blockSize, scheme.DataShards, scheme.ParityShards);
        return Enumerable.Range(0, geometry.TotalShards).Select(geometry.ShardLength);
    }
}
