using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Events;
using RclonePool.Server.Live.Payloads;

namespace RclonePool.Server.Live;

/// <summary>
/// The WebSocket feed of one server: one buffered subscription to the pool's event bus (the pool never waits for it),
/// each event encoded once and offered to every client subscribed to its topic; and the <c>stats</c> topic, computed
/// once a second from the pool's <see cref="PoolTraffic"/> and the remote errors seen.
/// </summary>
internal sealed class LiveHub : IAsyncDisposable
{
    private readonly LiveOptions _options;
    private readonly PoolTraffic? _traffic;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly PoolEventBus.Subscription _events;
    private readonly PoolEventBus.Subscription _errors;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _ticker;
    private LiveConnection[] _clients = [];
    private long _nextId;
    private long _errorCount;
    private long _lagging;

    public LiveHub(PoolEventBus bus, PoolTraffic? traffic, LiveOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _traffic = traffic;
        _time = time;
        _logger = logger;
        _errors = bus.Subscribe(_ => Interlocked.Increment(ref _errorCount), PoolEventType.RemoteError);
        _events = bus.SubscribeBuffered(OnEvent, options.BusQueueCapacity);
        _ticker = TickAsync(_stopping.Token);
    }

    public LiveOptions Options => _options;

    /// <summary>Clients connected now.</summary>
    public int ClientCount => Volatile.Read(ref _clients).Length;

    /// <summary>Clients closed because they fell too far behind.</summary>
    public long Lagging => Interlocked.Read(ref _lagging);

    /// <summary>Serves one accepted WebSocket until the client leaves, falls behind, or the server stops.</summary>
    public async Task ServeAsync(WebSocket socket, string? address, CancellationToken aborted)
    {
        using var client = new LiveConnection(Interlocked.Increment(ref _nextId), socket, _options, _time, _logger, () => Interlocked.Increment(ref _lagging));
        lock (_lock)
        {
            _clients = [.. _clients, client];
        }

        LiveLog.Connected(_logger, client.Id, address);
        try
        {
            await client.RunAsync(aborted);
        }
        finally
        {
            lock (_lock)
            {
                _clients = [.. _clients.Where(c => c != client)];
            }
        }
    }

    /// <summary>Offers a frame to every client subscribed to its topic.</summary>
    internal void Broadcast(LiveFrame frame)
    {
        foreach (var client in Volatile.Read(ref _clients))
        {
            if (client.Wants(frame.TopicBit))
            {
                client.Offer(frame);
            }
        }
    }

    private void OnEvent(PoolEvent poolEvent)
    {
        if (Volatile.Read(ref _clients).Length > 0 && LiveEventTranslator.Translate(poolEvent) is { } frame)
        {
            Broadcast(frame);
        }
    }

    private async Task TickAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.StatsInterval, _time);
        var statsBit = LiveTopics.BitOf(LiveTopics.Stats);
        var last = Sample();
        var lastAt = _time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                var now = Sample();
                var nowAt = _time.GetTimestamp();
                var seconds = Math.Max(1e-3, _time.GetElapsedTime(lastAt, nowAt).TotalSeconds);
                if (Volatile.Read(ref _clients).Any(c => c.Wants(statsBit)))
                {
                    var stats = new LiveStats(
                        (now.Uploaded - last.Uploaded) / seconds,
                        (now.Downloaded - last.Downloaded) / seconds,
                        (now.Operations - last.Operations) / seconds,
                        (now.Errors - last.Errors) / seconds,
                        now.Uploaded,
                        now.Downloaded,
                        now.Operations,
                        now.Errors);
                    Broadcast(new LiveFrame(statsBit, LiveTopics.Stats, LiveMessages.Encode(LiveMessages.Event, LiveTopics.Stats, _time.GetUtcNow(), stats, LiveJsonContext.Default.LiveStats)));
                }

                (last, lastAt) = (now, nowAt);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private (long Uploaded, long Downloaded, long Operations, long Errors) Sample() =>
        (_traffic?.UploadedBytes ?? 0, _traffic?.DownloadedBytes ?? 0, _traffic?.OperationsTotal ?? 0, Interlocked.Read(ref _errorCount));

    /// <summary>Stops the feed: every client gets what is queued and a close frame (1001, server stopping).</summary>
    public async ValueTask DisposeAsync()
    {
        _errors.Dispose();
        _events.Dispose();
        await _stopping.CancelAsync();
        await _ticker;
        foreach (var client in Volatile.Read(ref _clients))
        {
            client.Close(WebSocketCloseStatus.EndpointUnavailable, "the server is stopping");
        }

        _stopping.Dispose();
    }
}
