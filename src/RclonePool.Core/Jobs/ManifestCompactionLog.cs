using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Jobs;

/// <summary>Log messages of the automatic manifest compaction of <c>serve</c> (<c>manifest_compaction_objects</c>; event ids 5200–5209).</summary>
internal static partial class ManifestCompactionLog
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Manifest compaction: runs once about {Objects} manifest objects were written to each remote (manifest_compaction_objects)")]
    public static partial void Started(ILogger logger, int objects);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Manifest compaction done in {Elapsed}: {Removed} objects removed, {Written} packs written, {Folded} single manifests folded in")]
    public static partial void Done(ILogger logger, TimeSpan elapsed, int removed, int written, int folded);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Manifest compaction: {Problem}")]
    public static partial void Problem(ILogger logger, string problem);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Manifest compaction failed ({Kind}): {Reason}; it is tried again after the next {Objects} objects")]
    public static partial void Failed(ILogger logger, string kind, string reason, int objects);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Debug, Message = "Manifest compaction put off: {Backlog} objects per remote written since the last one, {Recent} of them in the last check interval (a burst of writes)")]
    public static partial void Deferred(ILogger logger, long backlog, long recent);
}
