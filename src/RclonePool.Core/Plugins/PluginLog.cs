using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Plugins;

/// <summary>Log messages of plugins (event ids 6400–6429).</summary>
internal static partial class PluginLog
{
    [LoggerMessage(EventId = 6400, Level = LogLevel.Warning, Message = "Plugins: {Problem}")]
    public static partial void NotLoaded(ILogger logger, string problem);

    [LoggerMessage(EventId = 6401, Level = LogLevel.Information, Message = "Plugin {Id} {Version} in use (from {Path})")]
    public static partial void InUse(ILogger logger, string id, string version, string path);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Warning, Message = "Plugin {Id} failed ({Failure}); {Consequence}")]
    public static partial void CallFailed(ILogger logger, string id, string failure, string consequence);

    [LoggerMessage(EventId = 6403, Level = LogLevel.Error, Message = "Plugin {Id} is disabled after {Count} failures in a row (the last: {Failure}); the pool goes on without it until rclonepool starts again. Fix or update the plugin, or 'rclonepool plugins disable {Id}'.")]
    public static partial void Disabled(ILogger logger, string id, int count, string failure);

    [LoggerMessage(EventId = 6405, Level = LogLevel.Error, Message = "Transformer plugin {Id} is not used: {Reason}. New chunks are stored without it (their manifests say so).")]
    public static partial void TransformerRefused(ILogger logger, string id, string reason);

    [LoggerMessage(EventId = 6406, Level = LogLevel.Warning, Message = "enabled_plugins names {Id}, but no plugin of plugins_dir has that id; 'rclonepool plugins list' shows what is there")]
    public static partial void EnabledMissing(ILogger logger, string id);

    [LoggerMessage(EventId = 6407, Level = LogLevel.Information, Message = "Plugin {Id} is enabled but its type is not wired in this version (interface only); it is loaded and not called")]
    public static partial void NotWired(ILogger logger, string id);

    [LoggerMessage(EventId = 6420, Level = LogLevel.Error, Message = "{Plugin} is not used: {Reason}. Blocks are stored without it (compression: as zstd with enable_compression, else raw; encryption: uploads fail rather than store unencrypted).")]
    public static partial void CodecRefused(ILogger logger, string plugin, string reason);

    [LoggerMessage(EventId = 6408, Level = LogLevel.Warning, Message = "Event handler plugins fell behind: {Dropped} events dropped so far")]
    public static partial void EventsDropped(ILogger logger, long dropped);
}
