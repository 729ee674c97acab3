namespace RclonePool.Core.Index;

/// <summary>
/// An optional ability of an index that several processes share (PostgreSQL): the WebDAV locks of every gateway in one
/// table, so a lock taken through one gateway holds through all of them. The WebDAV server decides what conflicts; the
/// index only makes a check-then-add atomic across gateways. Expiry is compared with the caller's clock, so gateways on
/// several machines need their clocks in step (NTP) to within a small part of a lock's timeout.
/// </summary>
public interface ISharedDavLocks
{
    /// <summary>Every lock that has not expired at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<DavLockRow>> ListDavLocksAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="row"/> unless <paramref name="conflict"/>, shown every unexpired lock, names one it conflicts
    /// with; returns that lock (and adds nothing), or null once added. No other gateway adds a lock in between.
    /// </summary>
    Task<DavLockRow?> AddDavLockAsync(DavLockRow row, DateTimeOffset now, Func<IReadOnlyList<DavLockRow>, DavLockRow?> conflict, CancellationToken cancellationToken);

    /// <summary>Gives the unexpired lock <paramref name="token"/> a new timeout and expiry; false when there is no such lock.</summary>
    Task<bool> RenewDavLockAsync(string token, TimeSpan timeout, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes the lock <paramref name="token"/>; false when there was none.</summary>
    Task<bool> RemoveDavLockAsync(string token, CancellationToken cancellationToken);

    /// <summary>Removes every lock rooted at <paramref name="root"/> or below it.</summary>
    Task RemoveDavLocksWithinAsync(string root, CancellationToken cancellationToken);
}
