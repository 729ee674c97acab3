namespace RclonePool.Core.Jobs;

/// <summary>What <c>index rebuild</c> found and reconciled.</summary>
public sealed record IndexRebuildReport
{
    /// <summary>Entries now in the index.</summary>
    public int Entries { get; init; }

    /// <summary>Manifest copies written to remotes that lacked them, or held a damaged or stale copy.</summary>
    public IReadOnlyList<string> CopiesWritten { get; init; } = [];

    /// <summary>What could not be reconciled (remotes not listed, revisions with no readable copy).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public int RemoteCalls { get; init; }
}
