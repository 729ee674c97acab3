namespace RclonePool.Core.IO;

/// <summary>
/// Bytes a set of concurrent operations may hold at once (many small files in flight, each holding up to its size in
/// memory): <see cref="AcquireAsync"/> waits until the amount fits, first come first served, so a large request is not
/// passed over forever by small ones. A request larger than the whole budget takes all of it. Thread-safe.
/// </summary>
public sealed class ByteBudget
{
    private readonly Queue<Waiter> _waiting = new();
    private readonly Lock _gate = new();
    private long _available;

    public ByteBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _available = capacity;
    }

    public long Capacity { get; }

    /// <summary>Bytes not held now.</summary>
    public long Available
    {
        get
        {
            lock (_gate)
            {
                return _available;
            }
        }
    }

    /// <summary>Waits until <paramref name="bytes"/> (at most <see cref="Capacity"/>) are free and holds them until the lease is disposed.</summary>
    public ValueTask<Lease> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var amount = Math.Min(bytes, Capacity);
        Waiter waiter;
        lock (_gate)
        {
            if (_waiting.Count == 0 && _available >= amount)
            {
                _available -= amount;
                return ValueTask.FromResult(new Lease(this, amount));
            }

            waiter = new Waiter(amount);
            _waiting.Enqueue(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    private async ValueTask<Lease> WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() => Cancel(waiter, cancellationToken)))
        {
            await waiter.Granted.Task;
        }

        return new Lease(this, waiter.Amount);
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Granted.Task.IsCompleted)
            {
                return; // granted meanwhile: the lease is handed out and released by its holder
            }

            // Leaving the queue can let the next waiters in (the first one may have waited only behind this one).
            var rest = _waiting.Where(w => w != waiter).ToList();
            _waiting.Clear();
            rest.ForEach(_waiting.Enqueue);
            waiter.Granted.TrySetCanceled(cancellationToken);
            GrantWaiting();
        }
    }

    private void Release(long amount)
    {
        lock (_gate)
        {
            _available += amount;
            GrantWaiting();
        }
    }

    /// <summary>Grants waiters in order while the first one fits (called under the lock).</summary>
    private void GrantWaiting()
    {
        while (_waiting.TryPeek(out var next) && _available >= next.Amount)
        {
            _waiting.Dequeue();
            _available -= next.Amount;
            next.Granted.TrySetResult();
        }
    }

    /// <summary>Bytes held from a <see cref="ByteBudget"/>, given back on dispose (once).</summary>
    public sealed class Lease : IDisposable
    {
        private ByteBudget? _owner;

        internal Lease(ByteBudget owner, long amount) => (_owner, Amount) = (owner, amount);

        public long Amount { get; }

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release(Amount);
    }

    private sealed class Waiter(long amount)
    {
        public long Amount { get; } = amount;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
