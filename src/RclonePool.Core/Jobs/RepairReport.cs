using RclonePool.Core.Integrity;
namespace RclonePool.Core.Jobs;

/// <summary>What <c>repair</c> did to one file.</summary>
public sealed record RepairReport
{
    public required string Path { get; init; }

    /// <summary>The revision the file has now (a new one when chunks were rewritten).</summary>
    public long Revision { get; init; }

    /// <summary>Chunk objects read and checked.</summary>
    public int ChunksChecked { get; init; }

    /// <summary>The damaged chunk objects found, each with what replaced it.</summary>
    public IReadOnlyList<RepairedChunk> Rewritten { get; init; } = [];

    /// <summary>Remotes that received a missing (or damaged) manifest copy.</summary>
    public IReadOnlyList<string> ManifestCopiesWritten { get; init; } = [];

    /// <summary>Older manifest revisions removed.</summary>
    public int StaleRevisionsRemoved { get; init; }

    /// <summary>Remote calls taken.</summary>
    public int RemoteCalls { get; init; }

    public bool NothingToRepair => Rewritten.Count == 0 && ManifestCopiesWritten.Count == 0 && StaleRevisionsRemoved == 0;
}

/// <summary>One damaged chunk object and the fresh object that replaced it.</summary>
public sealed record RepairedChunk(int Chunk, DamageKind Kind, string Detail, string OldRemote, string OldObject, string NewRemote, string NewObject);
