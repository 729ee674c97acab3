using Microsoft.Extensions.Logging;
using RclonePool.Core.Events;
using RclonePool.Plugins;

namespace RclonePool.Core.Plugins;

/// <summary>
/// Hands the pool's events to the enabled event handler plugins: one buffered subscription per handler (a bounded
/// queue, so a slow or stuck handler never slows the pool and never holds up the others), each event through the
/// handler's <see cref="PluginGuard"/>. Progress events are not sent (they are many and carry nothing a hook needs).
/// Disposing drains what is queued, each event still within the time-out.
/// </summary>
public sealed class PluginEventHandlers : IAsyncDisposable
{
    private const int QueueCapacity = 1024;
    private static readonly PoolEventType[] Hooks = [.. Enum.GetValues<PoolEventType>().Where(t => t != PoolEventType.Progress)];

    private readonly List<PoolEventBus.Subscription> _subscriptions = [];
    private readonly CancellationTokenSource _stop = new();

    public PluginEventHandlers(PoolEventBus events, IEnumerable<(IEventHandlerPlugin Handler, PluginGuard Guard)> handlers, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(handlers);
        foreach (var (handler, guard) in handlers)
        {
            _subscriptions.Add(events.SubscribeBuffered(
                e => DeliverAsync(handler, guard, e),
                QueueCapacity,
                Hooks));
        }

        Logger = logger;
    }

    private ILogger Logger { get; }

    private async Task DeliverAsync(IEventHandlerPlugin handler, PluginGuard guard, PoolEvent poolEvent)
    {
        if (guard.IsDisabled || _stop.IsCancellationRequested)
        {
            return;
        }

        var pluginEvent = PluginEvents.From(poolEvent);
        // The subscription's pump hands over the next event when this task ends: the handler's events stay in order.
        try
        {
            await guard.TryInvokeAsync(ct => handler.HandleAsync(pluginEvent, ct), $"it missed the {pluginEvent.Hook} event", _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopping: what is left is not delivered.
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions)
        {
            await subscription.DisposeAsync();
            if (subscription.Dropped > 0)
            {
                PluginLog.EventsDropped(Logger, subscription.Dropped);
            }
        }

        await _stop.CancelAsync();
        _stop.Dispose();
    }
}
