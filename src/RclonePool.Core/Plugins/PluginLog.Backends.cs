using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Plugins;

/// <summary>Log messages of the chunker and storage_backend plugins (event ids 6423–6429).</summary>
internal static partial class PluginLog
{
    [LoggerMessage(EventId = 6423, Level = LogLevel.Information, Message = "Chunker plugin {Id} is not asked: chunking is cdc, which finds chunk boundaries in the content; set chunking to fixed for the plugin to choose chunk sizes")]
    public static partial void ChunkerNotAsked(ILogger logger, string id);

    [LoggerMessage(EventId = 6424, Level = LogLevel.Warning, Message = "{Remote} cannot be reached: {Reason}. It is treated as a remote that is down.")]
    public static partial void StorageBackendMissing(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 6425, Level = LogLevel.Information, Message = "{Remote} is served by the storage_backend plugin {Id}")]
    public static partial void StorageBackendServes(ILogger logger, string remote, string id);
}
