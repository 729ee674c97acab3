using RclonePool.Core.Index;
using RclonePool.Core.Paths;

namespace RclonePool.Server.WebDav.Locking;

/// <summary>
/// The write locks of every gateway of a pool whose index is shared (PostgreSQL): each request reads the locks in force
/// once, and a new lock is checked against them and added in one step no other gateway can come between. The rules
/// (what covers what, what conflicts) are <see cref="LockTable"/>'s.
/// </summary>
internal sealed class SharedLockTable(ISharedDavLocks rows, TimeProvider time) : ILockStore
{
    public async ValueTask<ILockView> ViewAsync(CancellationToken cancellationToken) =>
        LockTable.Of((await rows.ListDavLocksAsync(time.GetUtcNow(), cancellationToken)).Select(ToLock), time);

    public async ValueTask<(ActiveLock? Created, ActiveLock? Conflict)> TryLockAsync(
        PoolPath root, LockScope scope, bool infinite, string? owner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var created = LockTable.New(root, scope, infinite, owner, timeout, time);
        ActiveLock? conflict = null;
        await rows.AddDavLockAsync(ToRow(created), time.GetUtcNow(), held =>
        {
            conflict = LockTable.Of(held.Select(ToLock), time).Conflict(root, scope, infinite);
            return conflict is null ? null : ToRow(conflict);
        }, cancellationToken);
        return conflict is null ? (created, null) : (null, conflict);
    }

    public async ValueTask<ActiveLock?> RefreshAsync(string token, PoolPath path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var view = await ViewAsync(cancellationToken);
        if (view.Find(token) is not { } found || !found.Covers(path))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var refreshed = found with { Timeout = timeout, ExpiresAt = now + timeout };
        return await rows.RenewDavLockAsync(token, timeout, refreshed.ExpiresAt, now, cancellationToken) ? refreshed : null;
    }

    public async ValueTask<bool> UnlockAsync(string token, PoolPath path, CancellationToken cancellationToken)
    {
        var view = await ViewAsync(cancellationToken);
        return view.Find(token) is { } found && found.Covers(path) && await rows.RemoveDavLockAsync(token, cancellationToken);
    }

    public async ValueTask RemoveWithinAsync(PoolPath path, CancellationToken cancellationToken) =>
        await rows.RemoveDavLocksWithinAsync(path.Value, cancellationToken);

    private static ActiveLock ToLock(DavLockRow row) => new()
    {
        Token = row.Token,
        Root = PoolPath.Parse(row.Root),
        Scope = row.Exclusive ? LockScope.Exclusive : LockScope.Shared,
        Infinite = row.Infinite,
        Owner = row.Owner,
        Timeout = row.Timeout,
        ExpiresAt = row.ExpiresAt,
    };

    private static DavLockRow ToRow(ActiveLock held) =>
        new(held.Token, held.Root.Value, held.Scope == LockScope.Exclusive, held.Infinite, held.Owner, held.Timeout, held.ExpiresAt);
}
