using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>
/// One remote as a survey is listing it: what its listings found, then the packs read for it (possibly from another
/// remote's copy of the same pack). Becomes a <see cref="RemoteInventory"/> once every pack is read.
/// </summary>
internal sealed class RemoteListing(PoolRemote remote)
{
    private int _calls;

    public PoolRemote Remote { get; } = remote;

    /// <summary>Why the remote could not be listed, or a pack on it read; null while it could.</summary>
    public string? Error { get; set; }

    public Dictionary<(string, long), RemoteEntry> Manifests { get; } = [];

    public List<RemoteEntry> PackEntries { get; } = [];

    public List<RemoteEntry> Foreign { get; } = [];

    public Dictionary<string, RemoteEntry>? Data { get; set; }

    public List<RemoteEntry> Markers { get; } = [];

    /// <summary>The remote is rclone's local backend: its copy of a pack is read in preference to a cloud account's.</summary>
    public bool Local { get; set; }

    public List<PackListing> Packs { get; } = [];

    public List<(RemoteEntry Pack, string Reason, bool Newer)> Damaged { get; } = [];

    public int Calls => _calls;

    public void CountCall() => Interlocked.Increment(ref _calls);

    public RemoteInventory ToInventory() => Error is not null
        ? new RemoteInventory { Remote = Remote, Error = Error, Calls = _calls }
        : new RemoteInventory
        {
            Remote = Remote,
            Manifests = Manifests,
            Packs = Packs,
            DamagedPacks = Damaged,
            Data = Data,
            SharedMarkers = Markers,
            ForeignManifestObjects = Foreign,
            Calls = _calls,
        };
}
