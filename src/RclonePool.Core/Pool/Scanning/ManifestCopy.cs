using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>One remote's copy of one manifest revision, as its listing shows it.</summary>
public sealed record ManifestCopy(PoolRemote Remote, RemoteEntry Entry);
