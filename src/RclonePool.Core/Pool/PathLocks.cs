using RclonePool.Core.Index;

namespace RclonePool.Core.Pool;

/// <summary>
/// In-process exclusive locks keyed by pool path, so two writers of one path (two PUTs, a PUT and a MOVE)
/// never derive the same next revision. Several keys are taken in ordinal order, so callers cannot deadlock. When the index is
/// shared by several processes (<see cref="ISharedPathLocks"/>), its locks are taken next, so gateways exclude each other too.
/// </summary>
public sealed class PathLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private ISharedPathLocks? _shared;

    /// <summary>Locks held across processes as well, taken after the in-process ones (set once, when the pool is assembled).</summary>
    internal void Share(ISharedPathLocks shared) => _shared = shared;

    public async Task<IDisposable> AcquireAsync(IEnumerable<string> keys, CancellationToken cancellationToken)
    {
        var ordered = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var held = new List<string>(ordered.Count);
        try
        {
            foreach (var key in ordered)
            {
                await Enter(key).WaitAsync(cancellationToken);
                held.Add(key);
            }
        }
        catch
        {
            foreach (var key in held)
            {
                Exit(key, wasHeld: true);
            }

            foreach (var key in ordered.Skip(held.Count))
            {
                Exit(key, wasHeld: false);
            }

            throw;
        }

        if (_shared is null)
        {
            return new Releaser(this, held, null);
        }

        try
        {
            return new Releaser(this, held, await _shared.LockPathsAsync(ordered, cancellationToken));
        }
        catch
        {
            new Releaser(this, held, null).Dispose();
            throw;
        }
    }

    private SemaphoreSlim Enter(string key)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                _entries[key] = entry = new Entry();
            }

            entry.Users++;
            return entry.Semaphore;
        }
    }

    private void Exit(string key, bool wasHeld)
    {
        lock (_entries)
        {
            var entry = _entries[key];
            if (wasHeld)
            {
                entry.Semaphore.Release();
            }

            if (--entry.Users == 0)
            {
                _entries.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Releaser(PathLocks owner, List<string> keys, IDisposable? shared) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                shared?.Dispose();
                foreach (var key in keys)
                {
                    owner.Exit(key, wasHeld: true);
                }
            }
        }
    }
}
