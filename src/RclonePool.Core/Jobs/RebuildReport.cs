namespace RclonePool.Core.Jobs;

/// <summary>What <c>rebuild</c> did: the files it restored, the ones it could not, and the remotes it took back.</summary>
public sealed record RebuildReport
{
    /// <summary>Files and directories checked.</summary>
    public int EntriesChecked { get; init; }

    /// <summary>Stored objects (copies and shards) read and checked.</summary>
    public int ObjectsChecked { get; init; }

    /// <summary>Entries where something was rewritten.</summary>
    public IReadOnlyList<RepairReport> Restored { get; init; } = [];

    /// <summary>Entries that could not be restored, with why (for example more shards lost than the stripe survives).</summary>
    public IReadOnlyList<(string Path, string Error)> Failed { get; init; } = [];

    /// <summary>Remotes that had lost their pool descriptor and were taken back.</summary>
    public IReadOnlyList<string> RemotesClaimed { get; init; } = [];

    public int RemoteCalls { get; init; }

    public bool Complete => Failed.Count == 0;
}
