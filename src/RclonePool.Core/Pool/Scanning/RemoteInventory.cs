using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>
/// What one remote holds of the pool, from one listing of its manifest directory and (when asked) one recursive
/// listing of its data directory: never a call per object.
/// </summary>
public sealed class RemoteInventory
{
    public required PoolRemote Remote { get; init; }

    /// <summary>Why the remote could not be listed; null when it was.</summary>
    public string? Error { get; init; }

    public bool Listed => Error is null;

    /// <summary>Manifest objects by (file id, revision).</summary>
    public IReadOnlyDictionary<(string FileId, long Revision), RemoteEntry> Manifests { get; init; } = new Dictionary<(string, long), RemoteEntry>();

    /// <summary>The manifest packs on the remote that could be read, each with its records (docs/manifest-format.md); a lean survey lists them without their records.</summary>
    public IReadOnlyList<PackListing> Packs { get; init; } = [];

    /// <summary>Packs that could not be read or parsed, with why: their records are unknown, so 'orphans --delete' removes nothing while one exists.</summary>
    public IReadOnlyList<(RemoteEntry Pack, string Reason, bool Newer)> DamagedPacks { get; init; } = [];

    /// <summary>Objects under the data prefix by object path (as manifests name them); null when not listed.</summary>
    public IReadOnlyDictionary<string, RemoteEntry>? Data { get; init; }

    /// <summary>Shared-content markers (<c>&lt;manifest_prefix&gt;/shared/&lt;sha256&gt;.json</c>); empty unless asked for.</summary>
    public IReadOnlyList<RemoteEntry> SharedMarkers { get; init; } = [];

    /// <summary>Objects in the manifest directory that are not manifests rclonepool wrote (left-overs, foreign files).</summary>
    public IReadOnlyList<RemoteEntry> ForeignManifestObjects { get; init; } = [];

    /// <summary>Remote calls the inventory took.</summary>
    public int Calls { get; init; }
}
