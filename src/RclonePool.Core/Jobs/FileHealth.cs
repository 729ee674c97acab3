namespace RclonePool.Core.Jobs;

/// <summary>The health of one file: its state, the remotes it can still lose, and the objects that are not available.</summary>
public sealed record FileHealth
{
    public required string Path { get; init; }

    public required string FileId { get; init; }

    public long Revision { get; init; }

    public long Size { get; init; }

    /// <summary>The redundancy the file was written with ("none", "replication", "parity", "hybrid").</summary>
    public required string Mode { get; init; }

    public required HealthState State { get; init; }

    /// <summary>Remotes the file survives losing when whole: the least over its chunks of copies - 1 or m.</summary>
    public int Tolerance { get; init; }

    /// <summary>
    /// Remotes it can still lose: the least over its chunks of available - needed (copies - 1, or shards - k).
    /// Equal to <see cref="Tolerance"/> when healthy, 0 when critical, negative when lost.
    /// </summary>
    public int Margin { get; init; }

    public int Chunks { get; init; }

    /// <summary>Stored objects (copies and shards) the manifest names.</summary>
    public int ObjectsExpected { get; init; }

    /// <summary>Objects present with the right size (and content, when read).</summary>
    public int ObjectsAvailable { get; init; }

    /// <summary>Every object that is missing, damaged or on a remote that could not be reached.</summary>
    public IReadOnlyList<Damage> Problems { get; init; } = [];
}
