namespace RclonePool.Core.Jobs;

/// <summary>What <c>orphans</c> found (and removed).</summary>
public sealed record OrphanReport
{
    /// <summary>Chunk objects no manifest on any remote names (or only stale revisions that go with them).</summary>
    public required IReadOnlyList<OrphanObject> Chunks { get; init; }

    /// <summary>Copies of manifest revisions older than the entry's newest valid revision.</summary>
    public required IReadOnlyList<StaleManifest> StaleManifests { get; init; }

    /// <summary>Shared-content markers no longer needed (at most one file has that content).</summary>
    public IReadOnlyList<OrphanObject> StaleMarkers { get; init; } = [];

    /// <summary>Chunk objects that manifests reference.</summary>
    public int ReferencedChunks { get; init; }

    /// <summary>Why nothing was (or would be) removed: remotes not listed, manifests not readable.</summary>
    public IReadOnlyList<string> Blockers { get; init; } = [];

    /// <summary>Remotes among the blockers that could not be listed (the rest are unreadable manifests).</summary>
    public int UnreachableRemotes { get; init; }

    public bool Deleted { get; init; }

    public int ChunksDeleted { get; init; }

    public long BytesDeleted { get; init; }

    public int ManifestsDeleted { get; init; }

    /// <summary>Index entries corrected to match the remotes before anything was removed.</summary>
    public int IndexCorrections { get; init; }

    public int RemoteCalls { get; init; }

    public long OrphanBytes => Chunks.Sum(c => c.Size);
}

/// <summary>An object nothing references: where it is, its size and age, and whether the grace period has passed.</summary>
public sealed record OrphanObject(string Remote, string Object, long Size, DateTimeOffset Modified, bool OldEnough, string? Note = null);

/// <summary>A copy of a superseded manifest revision.</summary>
public sealed record StaleManifest(string Remote, string Object, string FileId, long Revision, long CurrentRevision, string Path, bool OldEnough);
