using RclonePool.Core.Paths;

namespace RclonePool.Server.WebDav.Locking;

/// <summary>
/// Where the server's write locks live: in the process (<see cref="LockTable"/>), or in the index every gateway of the
/// pool shares (<see cref="SharedLockTable"/>), so a lock taken through one gateway holds through all.
/// </summary>
internal interface ILockStore
{
    /// <summary>The locks in force now, for one request to read (taken once per request).</summary>
    ValueTask<ILockView> ViewAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes a new lock unless it conflicts with a lock that applies to <paramref name="root"/> or (for depth infinity)
    /// to anything below it; returns the conflicting lock otherwise.
    /// </summary>
    ValueTask<(ActiveLock? Created, ActiveLock? Conflict)> TryLockAsync(PoolPath root, LockScope scope, bool infinite, string? owner, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Restarts the timeout of the lock with <paramref name="token"/> if it applies to <paramref name="path"/>; null otherwise.</summary>
    ValueTask<ActiveLock?> RefreshAsync(string token, PoolPath path, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Removes the lock with <paramref name="token"/> if it applies to <paramref name="path"/>.</summary>
    ValueTask<bool> UnlockAsync(string token, PoolPath path, CancellationToken cancellationToken);

    /// <summary>Drops every lock rooted at or below <paramref name="path"/> (the resources were deleted or moved away).</summary>
    ValueTask RemoveWithinAsync(PoolPath path, CancellationToken cancellationToken);
}
