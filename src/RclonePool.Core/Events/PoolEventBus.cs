using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RclonePool.Core.Events;

/// <summary>
/// The core's in-process event bus: the pool publishes, front ends, plugins and metrics subscribe. Thread-safe;
/// publishing never throws and never waits for a subscriber.
/// <list type="bullet">
/// <item><see cref="Subscribe"/>: the handler runs on the publishing thread, in order; it must be quick (a counter,
/// a log line). An exception it throws is logged and swallowed.</item>
/// <item><see cref="SubscribeBuffered(Action{PoolEvent}, int, PoolEventType[])"/>: the handler runs on its own task, fed through a bounded queue; when the
/// handler falls behind, the oldest queued events are dropped (counted in <see cref="Subscription.Dropped"/>), so a
/// slow or stuck subscriber (a WebSocket) never slows the pool.</item>
/// </list>
/// </summary>
public sealed class PoolEventBus
{
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Subscription[] _subscribers = [];

    public PoolEventBus(ILogger? logger = null, TimeProvider? time = null)
    {
        _logger = logger ?? NullLogger.Instance;
        Time = time ?? TimeProvider.System;
    }

    /// <summary>The clock events are stamped with.</summary>
    public TimeProvider Time { get; }

    /// <summary>True when someone listens (lets publishers skip building events nobody reads).</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

    /// <summary>Runs <paramref name="handler"/> synchronously for every event (of <paramref name="types"/>, or all).</summary>
    public Subscription Subscribe(Action<PoolEvent> handler, params PoolEventType[] types)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Add(new Subscription(this, handler, types, capacity: 0));
    }

    /// <summary>Runs <paramref name="handler"/> on its own task through a queue of <paramref name="capacity"/> events.</summary>
    public Subscription SubscribeBuffered(Action<PoolEvent> handler, int capacity = 1024, params PoolEventType[] types)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        return Add(new Subscription(this, handler, types, capacity));
    }

    /// <summary>
    /// Runs the asynchronous <paramref name="handler"/> on its own task through a queue of <paramref name="capacity"/>
    /// events, one event at a time: the next waits until the handler's task ends, and no thread waits meanwhile.
    /// </summary>
    public Subscription SubscribeBuffered(Func<PoolEvent, Task> handler, int capacity = 1024, params PoolEventType[] types)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        return Add(new Subscription(this, handler, types, capacity));
    }

    /// <summary>Stamps the event with the time (when unset) and hands it to every subscriber.</summary>
    public void Publish(PoolEvent poolEvent)
    {
        ArgumentNullException.ThrowIfNull(poolEvent);
        var subscribers = Volatile.Read(ref _subscribers);
        if (subscribers.Length == 0)
        {
            return;
        }

        if (poolEvent.Time == default)
        {
            poolEvent = poolEvent with { Time = Time.GetUtcNow() };
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Offer(poolEvent);
        }
    }

    private Subscription Add(Subscription subscription)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
    }

    private void Remove(Subscription subscription)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscription)];
        }
    }

    /// <summary>One subscriber. Dispose it to stop receiving events (a buffered one drains what it queued first).</summary>
    public sealed class Subscription : IDisposable, IAsyncDisposable
    {
        private readonly PoolEventBus _bus;
        private readonly Func<PoolEvent, Task> _handler;
        private readonly HashSet<PoolEventType>? _types;
        private readonly Channel<PoolEvent>? _queue;
        private readonly Task _pump = Task.CompletedTask;
        private long _dropped;
        private long _failures;

        internal Subscription(PoolEventBus bus, Action<PoolEvent> handler, PoolEventType[] types, int capacity)
            : this(bus, e =>
            {
                handler(e);
                return Task.CompletedTask;
            }, types, capacity)
        {
        }

        internal Subscription(PoolEventBus bus, Func<PoolEvent, Task> handler, PoolEventType[] types, int capacity)
        {
            _bus = bus;
            _handler = handler;
            _types = types.Length == 0 ? null : [.. types];
            if (capacity > 0)
            {
                _queue = Channel.CreateBounded<PoolEvent>(
                    new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                    _ => Interlocked.Increment(ref _dropped));
                _pump = Task.Run(PumpAsync);
            }
        }

        /// <summary>Events a buffered subscriber lost because its queue was full.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        /// <summary>Exceptions the handler threw (each logged and swallowed).</summary>
        public long Failures => Interlocked.Read(ref _failures);

        internal void Offer(PoolEvent poolEvent)
        {
            if (_types is not null && !_types.Contains(poolEvent.Type))
            {
                return;
            }

            if (_queue is not null)
            {
                _queue.Writer.TryWrite(poolEvent);
                return;
            }

            // A synchronous subscriber's handler is an Action: it has run when the call returns.
            Exception? failure = null;
            try
            {
                _handler(poolEvent);
            }
            catch (Exception e)
            {
                failure = e;
            }

            Observe(failure, poolEvent);
        }

        private async Task PumpAsync()
        {
            await foreach (var poolEvent in _queue!.Reader.ReadAllAsync())
            {
                Exception? failure = null;
                try
                {
                    await _handler(poolEvent);
                }
                catch (Exception e)
                {
                    failure = e;
                }

                Observe(failure, poolEvent);
            }
        }

        private void Observe(Exception? failure, PoolEvent poolEvent)
        {
            // A subscriber never breaks the publisher: log once per subscriber and failure count, go on.
            if (failure is not null && Interlocked.Increment(ref _failures) <= 3)
            {
                EventLog.SubscriberFailed(_bus._logger, poolEvent.Type.HookName(), failure);
            }
        }

        public void Dispose()
        {
            _bus.Remove(this);
            _queue?.Writer.TryComplete();
        }

        /// <summary>Unsubscribes and waits until a buffered subscriber has handled what it had queued.</summary>
        public async ValueTask DisposeAsync()
        {
            Dispose();
            await _pump;
        }
    }
}
