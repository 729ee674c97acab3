namespace RclonePool.Core.Jobs;

/// <summary>
/// When <see cref="ManifestCompactionLoop"/> compacts, from the count of manifest objects written per remote read at each
/// check: once the backlog since the last compaction reaches the threshold, unless a burst of writes is arriving (at
/// least a tenth of the threshold since the previous check) and the backlog is still below
/// <see cref="BurstBacklogFactor"/> times the threshold. A compaction reads and rewrites the packs and removes every
/// object it folds: during a burst (thousands of WebDAV PUTs of small files) that competed with the writes for the cores
/// and the disk, and after it the same work is done once instead of again every threshold. A slow trickle of writes is
/// no burst and compacts at the threshold.
/// </summary>
public sealed class ManifestCompactionTrigger(int threshold)
{
    /// <summary>A burst of writes puts a compaction off until the backlog is this many times the threshold.</summary>
    public const int BurstBacklogFactor = 4;

    private long _atLastCompaction;
    private long _atLastCheck;

    public int Threshold { get; } = threshold;

    /// <summary>Objects per remote written since the last compaction, as of the last check.</summary>
    public long Backlog { get; private set; }

    /// <summary>Objects per remote written between the last two checks.</summary>
    public long Recent { get; private set; }

    /// <summary>What to do at a check that read <paramref name="written"/> objects per remote since the process started.</summary>
    public CompactionDecision Check(long written)
    {
        Recent = written - _atLastCheck;
        _atLastCheck = written;
        Backlog = written - _atLastCompaction;
        if (Backlog < Threshold)
        {
            return CompactionDecision.Wait;
        }

        if (Recent >= Math.Max(1, Threshold / 10) && Backlog < (long)Threshold * BurstBacklogFactor)
        {
            return CompactionDecision.Defer;
        }

        _atLastCompaction = written;
        return CompactionDecision.Compact;
    }
}
