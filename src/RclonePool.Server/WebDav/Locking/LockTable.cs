using RclonePool.Core.Paths;

namespace RclonePool.Server.WebDav.Locking;

/// <summary>
/// The server's write locks, in memory (locks do not outlive the process, as RFC 4918 allows). Expired locks are
/// dropped when next looked at. Thread-safe. Also the view of a request over a shared lock table's rows
/// (<see cref="Of"/>).
/// </summary>
internal sealed class LockTable : ILockStore, ILockView
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ActiveLock> _byToken = new(StringComparer.Ordinal);
    private readonly Dictionary<PoolPath, List<ActiveLock>> _byRoot = [];
    private readonly TimeProvider _time;

    public LockTable(TimeProvider time) => _time = time;

    /// <summary>A table holding <paramref name="locks"/>: what one request of a shared table reads.</summary>
    public static LockTable Of(IEnumerable<ActiveLock> locks, TimeProvider time)
    {
        var table = new LockTable(time);
        foreach (var held in locks)
        {
            table.Add(held);
        }

        return table;
    }

    /// <summary>The lock with this token, or null (unknown or expired).</summary>
    public ActiveLock? Find(string token)
    {
        lock (_gate)
        {
            return _byToken.TryGetValue(token, out var found) && !Expire(found) ? found : null;
        }
    }

    /// <summary>The locks that apply to <paramref name="path"/>: on it, or depth-infinity locks on an ancestor.</summary>
    public IReadOnlyList<ActiveLock> Covering(PoolPath path)
    {
        lock (_gate)
        {
            List<ActiveLock>? result = null;
            var current = path;
            while (true)
            {
                if (_byRoot.TryGetValue(current, out var locks))
                {
                    foreach (var held in locks.ToArray())
                    {
                        if (!Expire(held) && held.Covers(path))
                        {
                            (result ??= []).Add(held);
                        }
                    }
                }

                if (current.IsRoot)
                {
                    break;
                }

                current = current.Parent;
            }

            return result ?? (IReadOnlyList<ActiveLock>)[];
        }
    }

    /// <summary>The locks rooted at <paramref name="path"/> or anywhere below it.</summary>
    public IReadOnlyList<ActiveLock> Within(PoolPath path)
    {
        lock (_gate)
        {
            return _byToken.Values.Where(l => path.Contains(l.Root)).ToArray().Where(l => !Expire(l)).ToArray();
        }
    }

    /// <summary>
    /// Takes a new lock unless it conflicts with a lock that applies to <paramref name="root"/> or (for depth infinity)
    /// to anything below it; returns the conflicting lock otherwise.
    /// </summary>
    public ActiveLock? TryLock(PoolPath root, LockScope scope, bool infinite, string? owner, TimeSpan timeout, out ActiveLock? conflict)
    {
        lock (_gate)
        {
            conflict = Conflict(root, scope, infinite);
            if (conflict is not null)
            {
                return null;
            }

            var created = New(root, scope, infinite, owner, timeout, _time);
            Add(created);
            return created;
        }
    }

    /// <summary>The lock a new one on <paramref name="root"/> would conflict with, or null.</summary>
    public ActiveLock? Conflict(PoolPath root, LockScope scope, bool infinite)
    {
        lock (_gate)
        {
            return Covering(root).FirstOrDefault(l => l.ConflictsWith(scope))
                ?? (infinite ? Within(root).FirstOrDefault(l => l.ConflictsWith(scope)) : null);
        }
    }

    /// <summary>A new lock with a fresh token, expiring <paramref name="timeout"/> from now.</summary>
    public static ActiveLock New(PoolPath root, LockScope scope, bool infinite, string? owner, TimeSpan timeout, TimeProvider time) => new()
    {
        Token = "opaquelocktoken:" + Guid.NewGuid().ToString("D"),
        Root = root,
        Scope = scope,
        Infinite = infinite,
        Owner = owner,
        Timeout = timeout,
        ExpiresAt = time.GetUtcNow() + timeout,
    };

    /// <summary>Restarts the timeout of the lock with <paramref name="token"/> if it applies to <paramref name="path"/>; null otherwise.</summary>
    public ActiveLock? Refresh(string token, PoolPath path, TimeSpan timeout)
    {
        lock (_gate)
        {
            var found = Find(token);
            if (found is null || !found.Covers(path))
            {
                return null;
            }

            Remove(found);
            var refreshed = found with { Timeout = timeout, ExpiresAt = _time.GetUtcNow() + timeout };
            Add(refreshed);
            return refreshed;
        }
    }

    /// <summary>Removes the lock with <paramref name="token"/> if it applies to <paramref name="path"/>.</summary>
    public bool Unlock(string token, PoolPath path)
    {
        lock (_gate)
        {
            var found = Find(token);
            if (found is null || !found.Covers(path))
            {
                return false;
            }

            Remove(found);
            return true;
        }
    }

    /// <summary>Drops every lock rooted at or below <paramref name="path"/> (the resources were deleted or moved away).</summary>
    public void RemoveWithin(PoolPath path)
    {
        lock (_gate)
        {
            foreach (var held in _byToken.Values.Where(l => path.Contains(l.Root)).ToArray())
            {
                Remove(held);
            }
        }
    }

    ValueTask<ILockView> ILockStore.ViewAsync(CancellationToken cancellationToken) => ValueTask.FromResult<ILockView>(this);

    ValueTask<(ActiveLock? Created, ActiveLock? Conflict)> ILockStore.TryLockAsync(
        PoolPath root, LockScope scope, bool infinite, string? owner, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var created = TryLock(root, scope, infinite, owner, timeout, out var conflict);
        return ValueTask.FromResult((created, conflict));
    }

    ValueTask<ActiveLock?> ILockStore.RefreshAsync(string token, PoolPath path, TimeSpan timeout, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Refresh(token, path, timeout));

    ValueTask<bool> ILockStore.UnlockAsync(string token, PoolPath path, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Unlock(token, path));

    ValueTask ILockStore.RemoveWithinAsync(PoolPath path, CancellationToken cancellationToken)
    {
        RemoveWithin(path);
        return ValueTask.CompletedTask;
    }

    private bool Expire(ActiveLock held)
    {
        if (held.ExpiresAt > _time.GetUtcNow())
        {
            return false;
        }

        Remove(held);
        return true;
    }

    private void Add(ActiveLock held)
    {
        _byToken[held.Token] = held;
        if (!_byRoot.TryGetValue(held.Root, out var list))
        {
            _byRoot[held.Root] = list = [];
        }

        list.Add(held);
    }

    private void Remove(ActiveLock held)
    {
        _byToken.Remove(held.Token);
        if (_byRoot.TryGetValue(held.Root, out var list))
        {
            list.RemoveAll(l => l.Token == held.Token);
            if (list.Count == 0)
            {
                _byRoot.Remove(held.Root);
            }
        }
    }
}
