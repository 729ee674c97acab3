using RclonePool.Core.Errors;

namespace RclonePool.Core.Placement;

/// <summary>
/// Placement bookkeeping for one operation: a snapshot of the remotes' space, reservations for chunks in
/// flight, and remotes excluded after failing. Among the remotes that can hold an object, only those of the highest
/// priority (<c>remote_priorities</c>) are offered to the balancer, so higher priorities fill first, within their free
/// space, whatever the strategy. Thread-safe.
/// </summary>
public sealed class PlacementSession
{
    private readonly IBalancer _balancer;
    private readonly Lock _lock = new();
    private readonly List<RemoteLoad> _loads;
    private readonly HashSet<string> _excluded = new(StringComparer.Ordinal);

    public PlacementSession(IEnumerable<RemoteLoad> loads, IBalancer balancer)
    {
        _balancer = balancer;
        _loads = [.. loads];
        if (_loads.Count == 0)
        {
            throw new ArgumentException("A pool needs at least one remote.", nameof(loads));
        }
    }

    public IReadOnlyList<RemoteLoad> Snapshot()
    {
        lock (_lock)
        {
            return [.. _loads];
        }
    }

    /// <summary>Reserves room for <paramref name="bytes"/> and returns the chosen remote, avoiding <paramref name="avoid"/>.</summary>
    public string Reserve(long bytes, IReadOnlyCollection<string>? avoid = null)
    {
        lock (_lock)
        {
            var candidates = new List<int>(_loads.Count);
            for (var i = 0; i < _loads.Count; i++)
            {
                var load = _loads[i];
                if (!_excluded.Contains(load.Remote) && (avoid is null || !avoid.Contains(load.Remote)) && load.CanHold(bytes))
                {
                    candidates.Add(i);
                }
            }

            if (candidates.Count == 0)
            {
                throw NoRoom(bytes);
            }

            var top = candidates.Max(i => _loads[i].Priority);
            candidates.RemoveAll(i => _loads[i].Priority != top);

            var view = candidates.Select(i => _loads[i]).ToList();
            var chosen = candidates[_balancer.Choose(view, bytes)];
            _loads[chosen] = _loads[chosen] with { Reserved = _loads[chosen].Reserved + bytes };
            return _loads[chosen].Remote;
        }
    }

    /// <summary>Gives back a reservation whose object was not stored.</summary>
    public void Release(string remote, long bytes)
    {
        lock (_lock)
        {
            var i = _loads.FindIndex(l => l.Remote == remote);
            if (i >= 0)
            {
                _loads[i] = _loads[i] with { Reserved = Math.Max(0, _loads[i].Reserved - bytes) };
            }
        }
    }

    /// <summary>Takes a failing remote out of the rest of this operation.</summary>
    public void Exclude(string remote)
    {
        lock (_lock)
        {
            _excluded.Add(remote);
        }
    }

    /// <summary>
    /// Checks, without reserving, that every object of <paramref name="sizes"/> fits somewhere: the pool refuses
    /// an upload it cannot hold before writing anything.
    /// </summary>
    public void EnsureRoomFor(IEnumerable<long> sizes)
    {
        lock (_lock)
        {
            // A trial with least used (stateless, and the tightest fit): the pool's own balancer keeps its turn.
            var trial = new PlacementSession(_loads, new LeastUsedBalancer());
            foreach (var remote in _excluded)
            {
                trial.Exclude(remote);
            }

            long total = 0;
            foreach (var size in sizes)
            {
                total += size;
                try
                {
                    trial.Reserve(size);
                }
                catch (PoolException e) when (e.Kind == PoolErrorKind.NoSpace)
                {
                    throw new PoolException(PoolErrorKind.NoSpace, $"The pool cannot hold {Format(total)} more: {Describe()} Free space on a remote, add a remote, or use a smaller file.", e);
                }
            }
        }
    }

    private PoolException NoRoom(long bytes) =>
        new(PoolErrorKind.NoSpace, $"No remote can hold another {Format(bytes)}: {Describe()} Free space on a remote or add one to the pool.");

    private string Describe() =>
        string.Join(", ", _loads.Select(l => _excluded.Contains(l.Remote)
            ? $"{l.Remote} failing"
            : l.Draining ? $"{l.Remote} draining"
            : $"{l.Remote} {(l.Available is { } a ? Format(Math.Max(0, a)) + " free" : "free space unknown")}")) + ".";

    private static string Format(long bytes) => Units.FormatBytes(bytes);
}
