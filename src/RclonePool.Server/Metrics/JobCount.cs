namespace RclonePool.Server.Metrics;

/// <summary>How many jobs of <paramref name="Kind"/> are in <paramref name="State"/> (queued, running, succeeded, failed, cancelled).</summary>
public sealed record JobCount(string Kind, string State, int Count);
