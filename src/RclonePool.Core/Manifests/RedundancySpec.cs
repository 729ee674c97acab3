namespace RclonePool.Core.Manifests;

/// <summary>The redundancy a file was written with. Older manifests without it read as <see cref="None"/>.</summary>
public sealed record RedundancySpec
{
    public static RedundancySpec None { get; } = new();

    /// <summary>"none", "replication", "parity" or "hybrid".</summary>
    public string Mode { get; init; } = "none";

    /// <summary>Copies of each chunk (1 without replication).</summary>
    public int Copies { get; init; } = 1;

    public int DataShards { get; init; }

    public int ParityShards { get; init; }
}
