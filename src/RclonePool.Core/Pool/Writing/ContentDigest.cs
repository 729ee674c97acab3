namespace RclonePool.Core.Pool.Writing;

/// <summary>A chunk's content id (keyed hash of its stored bytes) and the hashes a manifest records for those bytes.</summary>
internal sealed record ContentDigest(string ContentId, string Sha256, string BlockHashes);
