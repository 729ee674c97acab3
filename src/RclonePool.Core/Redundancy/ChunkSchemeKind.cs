namespace RclonePool.Core.Redundancy;

public enum ChunkSchemeKind
{
    /// <summary>One object holding the chunk.</summary>
    Single,

    /// <summary>Whole copies on distinct remotes.</summary>
    Replicated,

    /// <summary>k data shards and m parity shards, each on a distinct remote.</summary>
    Striped,
}
