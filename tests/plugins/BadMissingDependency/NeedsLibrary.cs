using BadMissingDependency.Lib;
using RclonePool.Plugins;

namespace BadMissingDependency;

/// <summary>An event handler whose constructor needs BadMissingDependency.Lib: without that file beside it, it does not load.</summary>
public sealed class NeedsLibrary : IEventHandlerPlugin
{
    private readonly Greeting _greeting = new();

    public PluginMetadata Metadata => new("needs_library", "1.0.0", "tests", $"Needs a library ({_greeting.Text}).", PluginType.EventHandler);

    public Task HandleAsync(PluginEvent poolEvent, CancellationToken cancellationToken) => Task.CompletedTask;
}
