namespace RclonePool.Server.Api.Jobs;

/// <summary>How many jobs run at once, wait, and are remembered once finished.</summary>
public sealed record JobRegistryOptions
{
    /// <summary>Jobs running at once; the others wait as <c>queued</c>.</summary>
    public int MaxRunning { get; init; } = 2;

    /// <summary>Jobs queued or running at once; one more is refused with 429 until one finishes.</summary>
    public int MaxActive { get; init; } = 64;

    /// <summary>Finished jobs kept for <c>GET jobs/{id}</c>; the oldest are forgotten first.</summary>
    public int MaxFinished { get; init; } = 200;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
