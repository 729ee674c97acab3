namespace RclonePool.Core.Jobs;

/// <summary>What <c>health</c> checks.</summary>
public sealed record HealthOptions
{
    /// <summary>
    /// Also read every stored object and check it against its hashes (catches bit flips); otherwise existence and
    /// size only, from one listing of each remote's manifest and data directories.
    /// </summary>
    public bool Deep { get; init; }

    /// <summary>Objects read at once (deep check); the config's <c>max_parallel_workers</c> when null.</summary>
    public int? Workers { get; init; }

    /// <summary>Receives the count of bytes read so far (deep check).</summary>
    public IProgress<long>? Progress { get; init; }
}
