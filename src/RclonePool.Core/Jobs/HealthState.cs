namespace RclonePool.Core.Jobs;

/// <summary>
/// How much of its redundancy a file has left (docs/redundancy.md, "Health"), from best to worst; the order is the
/// order of severity, so the worst of several states is their maximum. <see cref="HealthStates.Name"/> gives the
/// printed name.
/// </summary>
public enum HealthState
{
    /// <summary>Every stored object of every chunk is present (and intact, when read).</summary>
    Healthy,

    /// <summary>Some objects are missing or damaged, but every chunk could still lose at least one more remote.</summary>
    Degraded,

    /// <summary>Still readable, but some chunk has no margin left: one more lost remote loses it.</summary>
    Critical,

    /// <summary>Some chunk has fewer than k shards (or no copy) left: the file cannot be read whole.</summary>
    Lost,
}
