using RclonePool.Core.Paths;

namespace RclonePool.Server.WebDav.Locking;

/// <summary>
/// A resource a request changes, so its locks' tokens must be submitted: the resource itself (its content,
/// properties, or its membership when it is a collection gaining or losing a member), or a whole subtree (deleted,
/// moved away or overwritten).
/// </summary>
internal readonly record struct LockRequirement(PoolPath Path, bool Subtree)
{
    public static LockRequirement Resource(PoolPath path) => new(path, false);

    public static LockRequirement Tree(PoolPath path) => new(path, true);
}
