namespace RclonePool.Core.Jobs;

/// <summary>What a rebalance planned, moved and could not move.</summary>
public sealed record RebalanceReport
{
    public required RebalancePlan Plan { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Moves done: each object copied, checked on its new remote, named by a new manifest revision, its source removed.</summary>
    public IReadOnlyList<ChunkMove> Moved { get; init; } = [];

    /// <summary>Files whose moves were not done, with why; each still reads from where it was.</summary>
    public IReadOnlyList<(string Path, string Error)> Failed { get; init; } = [];

    /// <summary>Files left alone because they changed since the plan was made.</summary>
    public int Skipped { get; init; }

    /// <summary>Chunk objects still on remotes being drained after the run (0: drained).</summary>
    public int LeftOnDraining { get; init; }

    /// <summary>Files an interrupted run had left with older revisions or missing manifest copies, now finished.</summary>
    public int Finished { get; init; }

    /// <summary>The utilisation variance measured after the moves (the planned one for a dry run).</summary>
    public double VarianceAfter { get; init; }

    public int RemoteCalls { get; init; }

    public long BytesMoved => Moved.Sum(m => m.Bytes);
}
