using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool;

/// <summary>Where rclonepool's objects live on a remote (the prefixes come from the config).</summary>
public sealed record PoolLayout(string DataPrefix, string ManifestPrefix)
{
    /// <summary>The name of the shared-content markers' directory inside the manifest directory.</summary>
    public const string SharedDirectory = "shared";

    /// <summary>The name of the content claims' directory inside the manifest directory (<see cref="ContentClaim"/>).</summary>
    public const string ClaimDirectory = "claims";

    /// <summary>
    /// The name of the directory, inside the manifest directory, where <c>orphans --delete</c> moves content-addressed
    /// chunk objects before it decides, from the claims and manifests read after the move, to remove or restore them.
    /// </summary>
    public const string SweptDirectory = "swept";

    public RemotePath Manifest(PoolRemote remote, string objectName) => new(remote.Storage, $"{ManifestPrefix}/{objectName}");

    public RemotePath ManifestDirectory(PoolRemote remote) => new(remote.Storage, ManifestPrefix);

    public RemotePath DataDirectory(PoolRemote remote) => new(remote.Storage, DataPrefix);

    public RemotePath Descriptor(PoolRemote remote) => new(remote.Storage, ManifestNames.DescriptorName);

    /// <summary>The directory of shared-content markers (docs/manifest-format.md), beside the manifests.</summary>
    public RemotePath SharedMarkerDirectory(PoolRemote remote) => ManifestDirectory(remote).Child(SharedDirectory);

    /// <summary>The marker saying that the content with <paramref name="sha256"/> may be shared by several files.</summary>
    public RemotePath SharedMarker(PoolRemote remote, string sha256) => SharedMarkerDirectory(remote).Child(sha256 + ManifestNames.Extension);

    /// <summary>The directory of content claims (docs/efficiency.md), beside the manifests.</summary>
    public RemotePath ContentClaimDirectory(PoolRemote remote) => ManifestDirectory(remote).Child(ClaimDirectory);

    /// <summary>One content claim.</summary>
    public RemotePath ContentClaim(PoolRemote remote, string claimId) => ContentClaimDirectory(remote).Child(claimId + ManifestNames.Extension);

    /// <summary>The directory of chunk objects a sweep has set aside (<see cref="SweptDirectory"/>).</summary>
    public RemotePath SweptObjectDirectory(PoolRemote remote) => ManifestDirectory(remote).Child(SweptDirectory);

    /// <summary>Where a sweep sets aside the chunk object with this id.</summary>
    public RemotePath SweptObject(PoolRemote remote, string chunkId) => SweptObjectDirectory(remote).Child(chunkId);

    /// <summary>The stored object path (relative to the remote) for a new chunk id.</summary>
    public string ChunkObject(string chunkId) => ManifestNames.ChunkObject(DataPrefix, chunkId);
}
