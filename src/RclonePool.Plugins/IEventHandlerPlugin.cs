namespace RclonePool.Plugins;

/// <summary>
/// <c>event_handler</c>: receives the pool's events, one at a time, in order, off the pool's own path (a bounded
/// queue: when the handler falls behind, the oldest events are dropped). It must finish within <c>plugin_timeout</c>.
/// </summary>
public interface IEventHandlerPlugin : IPlugin
{
    Task HandleAsync(PluginEvent poolEvent, CancellationToken cancellationToken);
}
