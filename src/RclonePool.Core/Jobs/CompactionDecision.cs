namespace RclonePool.Core.Jobs;

/// <summary>The outcome of a <see cref="ManifestCompactionTrigger"/> check.</summary>
public enum CompactionDecision
{
    /// <summary>Fewer objects than the threshold were written since the last compaction.</summary>
    Wait,

    /// <summary>Enough for a compaction, but a burst of writes is arriving: put off to a later check.</summary>
    Defer,

    /// <summary>Compact now.</summary>
    Compact,
}
