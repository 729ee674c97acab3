using RclonePool.Core.Placement;

namespace RclonePool.Core.Jobs;

/// <summary>What a rebalance moves, and the remotes before and after (as planned).</summary>
public sealed record RebalancePlan
{
    public required IReadOnlyList<ChunkMove> Moves { get; init; }

    public required IReadOnlyList<RemoteLoad> Before { get; init; }

    public required IReadOnlyList<RemoteLoad> After { get; init; }

    public required double TargetVariance { get; init; }

    public double VarianceBefore => Utilisation.Variance(Before);

    public double VarianceAfter => Utilisation.Variance(After);

    public long Bytes => Moves.Sum(m => m.Bytes);

    /// <summary>True when the planned moves bring the variance to the target or under it.</summary>
    public bool ReachesTarget => VarianceAfter <= TargetVariance;
}
