using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index;

/// <summary>One row of a listing served from the index; directories implied by file paths have no manifest.</summary>
public sealed record IndexEntry(string Path, EntryKind Kind, long Size, DateTimeOffset Modified, string? FileId, long Revision)
{
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];

    /// <summary>Whole-file SHA-256 (hex); null for directories.</summary>
    public string? Sha256 { get; init; }

    public DateTimeOffset Created { get; init; }

    /// <summary>Dead properties, or null when none.</summary>
    public IReadOnlyDictionary<string, string>? Properties { get; init; }
}
