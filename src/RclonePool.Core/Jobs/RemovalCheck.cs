namespace RclonePool.Core.Jobs;

/// <summary>What taking a remote out of the pool would leave behind (<see cref="RemoteRemoval.CheckAsync"/>).</summary>
public sealed record RemovalCheck
{
    /// <summary>The remote as the config names it.</summary>
    public required string Remote { get; init; }

    /// <summary>False when the remote could not be listed: what it holds is known from the manifests on the others only.</summary>
    public required bool Answers { get; init; }

    /// <summary>Chunk objects (copies and shards, of every revision) the manifests place on the remote.</summary>
    public required int Objects { get; init; }

    public required long Bytes { get; init; }

    /// <summary>Files with at least one object on the remote.</summary>
    public required int Files { get; init; }

    /// <summary>
    /// Files that would no longer read without the remote (and without the other remotes that do not answer): a chunk
    /// with no copy left, or a stripe with fewer than k shards left. Empty: every file stays readable.
    /// </summary>
    public required IReadOnlyList<string> Lost { get; init; }

    /// <summary>Other remotes that did not answer; their objects were not counted as readable.</summary>
    public required IReadOnlyList<string> Down { get; init; }

    public bool Empty => Objects == 0;
}
