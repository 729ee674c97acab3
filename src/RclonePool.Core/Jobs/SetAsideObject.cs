using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>A chunk object a sweep has moved aside: its remote, the path it came from and goes back to, where it is now, and its size.</summary>
internal sealed record SetAsideObject(PoolRemote Remote, string Object, RemotePath Aside, long Size);
