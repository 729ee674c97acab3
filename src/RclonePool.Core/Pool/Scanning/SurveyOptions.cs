using RclonePool.Core.Paths;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>What a <see cref="PoolSurvey"/> lists and reads.</summary>
public sealed record SurveyOptions
{
    /// <summary>Also list each remote's data directory (one recursive listing per remote).</summary>
    public bool ListData { get; init; }

    /// <summary>Also list the shared-content markers (one more listing per remote).</summary>
    public bool ListSharedMarkers { get; init; }

    /// <summary>Read every revision present (one valid copy each), not only the current one.</summary>
    public bool AllRevisions { get; init; }

    /// <summary>Read every copy of the current revision and compare them byte for byte.</summary>
    public bool AllCopies { get; init; }

    /// <summary>
    /// Take the current revision from the local index when it has the same file id and revision (no read); copies
    /// are then compared by their listed sizes only, and read when those differ.
    /// </summary>
    public bool PreferIndex { get; init; }

    /// <summary>Read only entries under this path (entries the index places elsewhere at their newest revision are skipped).</summary>
    public PoolPath? Scope { get; init; }

    /// <summary>
    /// Keep each current manifest as its summary (<see cref="Manifests.Manifest.Summary"/>: file id, revision, path,
    /// size and times; no chunks, inline data or properties) beside its record's bytes: for jobs that need to know which
    /// revision is current and where, not what the file holds (compaction). At a million files the parsed manifests
    /// were the largest part of a survey.
    /// </summary>
    public bool Summaries { get; init; }

    /// <summary>
    /// Keep each manifest read (current and older revisions) in its lean form (<see cref="Manifests.Manifest.Lean"/>:
    /// chunk lengths and locations, no digests or checked inline data), and no pack's records once its records are
    /// placed: for jobs that check where each file's chunks are and how large (verify --quick, orphans), at a fraction of
    /// the memory of parsed manifests. Not for a job that writes or indexes what it read.
    /// </summary>
    public bool Lean { get; init; }

    /// <summary>Read only this file id.</summary>
    public string? FileId { get; init; }
}
