namespace RclonePool.Core.Jobs;

/// <summary>What <c>rebalance</c> aims for and how far it may go.</summary>
public sealed record RebalanceOptions
{
    /// <summary>The utilisation variance, in percent, to bring the pool under (<see cref="Placement.Utilisation"/>).</summary>
    public double TargetVariance { get; init; } = 5.0;

    /// <summary>At most this many bytes move; null: no limit.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>Plan only: print the moves, change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// Only empty the remotes being drained (<c>draining_remotes</c>), whatever the variance; a remote that does not answer
    /// is left out (it neither gives nor receives) instead of stopping the job, as long as the drained remotes answer.
    /// </summary>
    public bool Drain { get; init; }

    /// <summary>Files moved at once; null: <c>max_parallel_workers</c>.</summary>
    public int? Workers { get; init; }

    /// <summary>Bytes moved so far (a running total), reported as each file's moves complete.</summary>
    public IProgress<long>? Progress { get; init; }
}
