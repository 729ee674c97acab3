namespace RclonePool.Core.Pool;

/// <summary>
/// In-process exclusive locks keyed by pool path, so two writers of one path (two PUTs, a PUT and a MOVE)
/// never derive the same next revision. Several keys are taken in ordinal order, so callers cannot deadlock.
/// </summary>
public sealed class PathLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

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

        return new Releaser(this, held);
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

    private sealed class Releaser(PathLocks owner, List<string> keys) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                foreach (var key in keys)
                {
                    owner.Exit(key, wasHeld: true);
                }
            }
        }
    }
}
