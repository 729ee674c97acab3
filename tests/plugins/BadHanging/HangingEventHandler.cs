using RclonePool.Plugins;

namespace BadHanging;

/// <summary>An event handler that blocks forever and ignores its token: the pool stops waiting for it and disables it.</summary>
public sealed class HangingEventHandler : IEventHandlerPlugin
{
    public PluginMetadata Metadata { get; } = new("hangs", "1.0.0", "tests", "Blocks forever on every event.", PluginType.EventHandler);

    public Task HandleAsync(PluginEvent poolEvent, CancellationToken cancellationToken)
    {
        Thread.Sleep(Timeout.Infinite);
        return Task.CompletedTask;
    }
}
