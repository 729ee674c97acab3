namespace RclonePool.Core.Pool.Writing;

/// <summary>One object an upload stored: where, and the chunk's hashes when this copy computed them.</summary>
internal sealed record StoredCopy(PoolRemote Remote, string Object, string? Sha256, string? BlockHashes)
{
    public static StoredCopy Hashed(PoolRemote remote, string objectPath, (string Sha256, string BlockHashes) hashes) =>
        new(remote, objectPath, hashes.Sha256, hashes.BlockHashes);
}
