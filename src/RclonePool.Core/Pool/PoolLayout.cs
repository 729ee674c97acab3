using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool;

/// <summary>Where rclonepool's objects live on a remote (the prefixes come from the config).</summary>
public sealed record PoolLayout(string DataPrefix, string ManifestPrefix)
{
    public RemotePath Manifest(PoolRemote remote, string objectName) => new(remote.Storage, $"{ManifestPrefix}/{objectName}");

    public RemotePath ManifestDirectory(PoolRemote remote) => new(remote.Storage, ManifestPrefix);

    public RemotePath DataDirectory(PoolRemote remote) => new(remote.Storage, DataPrefix);

    public RemotePath Descriptor(PoolRemote remote) => new(remote.Storage, ManifestNames.DescriptorName);

    /// <summary>The stored object path (relative to the remote) for a new chunk id.</summary>
    public string ChunkObject(string chunkId) => ManifestNames.ChunkObject(DataPrefix, chunkId);
}
