using RclonePool.Core.Paths;

namespace RclonePool.Server.WebDav.Locking;

/// <summary>The locks in force, as one request sees them: read-only, expired locks left out.</summary>
internal interface ILockView
{
    /// <summary>The lock with this token, or null (unknown or expired).</summary>
    ActiveLock? Find(string token);

    /// <summary>The locks that apply to <paramref name="path"/>: on it, or depth-infinity locks on an ancestor.</summary>
    IReadOnlyList<ActiveLock> Covering(PoolPath path);

    /// <summary>The locks rooted at <paramref name="path"/> or anywhere below it.</summary>
    IReadOnlyList<ActiveLock> Within(PoolPath path);
}
