namespace RclonePool.Server.Live;

/// <summary>
/// The bounded queue of one WebSocket client, so a slow client never slows the pool: the publisher only ever adds (never
/// waits), one sender takes. An unsent frame with the same coalesce key is replaced in place (progress: the latest wins,
/// and keeps its place in line). When <see cref="Capacity"/> frames wait, the client is too far behind: the outbox
/// drops what it holds and closes, and the sender learns why from <see cref="Overflowed"/>.
/// </summary>
internal sealed class ClientOutbox(int capacity) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<Slot> _queue = new();
    private readonly Dictionary<string, Slot> _unsent = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _ready = new(0);
    private bool _closed;
    private long _coalesced;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The queue needs room for one message at least.");

    /// <summary>Frames waiting to be sent.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Frames that replaced an unsent one of the same key.</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    /// <summary>True once the queue overflowed (the client fell too far behind).</summary>
    public bool Overflowed { get; private set; }

    public OutboxResult Offer(LiveFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lock (_lock)
        {
            if (_closed)
            {
                return OutboxResult.Closed;
            }

            if (frame.CoalesceKey is { } key && _unsent.TryGetValue(key, out var waiting))
            {
                waiting.Frame = frame;
                _coalesced++;
                return OutboxResult.Coalesced;
            }

            if (_queue.Count >= Capacity)
            {
                Overflowed = true;
                CloseLocked();
                return OutboxResult.Overflow;
            }

            var slot = new Slot(frame);
            _queue.Enqueue(slot);
            if (frame.CoalesceKey is { } newKey)
            {
                _unsent[newKey] = slot;
            }
        }

        _ready.Release();
        return OutboxResult.Queued;
    }

    /// <summary>The next frame to send, waiting for one; null once the outbox is closed (after an overflow, at once).</summary>
    public async ValueTask<LiveFrame?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _ready.WaitAsync(cancellationToken);
            lock (_lock)
            {
                if (_queue.TryDequeue(out var slot))
                {
                    if (slot.Frame.CoalesceKey is { } key && _unsent.TryGetValue(key, out var current) && current == slot)
                    {
                        _unsent.Remove(key);
                    }

                    return slot.Frame;
                }

                if (_closed)
                {
                    _ready.Release(); // every later TakeAsync returns at once too
                    return null;
                }
            }
        }
    }

    /// <summary>Sends what is queued, then ends (<see cref="TakeAsync"/> returns null).</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
        }

        _ready.Release();
    }

    public void Dispose() => _ready.Dispose();

    private void CloseLocked()
    {
        _closed = true;
        _queue.Clear();
        _unsent.Clear();
        _ready.Release();
    }

    private sealed class Slot(LiveFrame frame)
    {
        public LiveFrame Frame { get; set; } = frame;
    }
}
