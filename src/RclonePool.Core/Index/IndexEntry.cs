using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index;

/// <summary>One row of a listing served from the index; directories implied by file paths have no manifest.</summary>
public sealed record IndexEntry(string Path, EntryKind Kind, long Size, DateTimeOffset Modified, string? FileId, long Revision)
{
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}
