using System.Text.Json;
using RclonePool.Core.Events;
using RclonePool.Server.Live.Payloads;

namespace RclonePool.Server.Live;

/// <summary>Turns a pool event into the message of its topic (encoded once, for every client), or null when no topic shows it.</summary>
internal static class LiveEventTranslator
{
    private static readonly LiveJsonContext Json = LiveJsonContext.Default;

    public static LiveFrame? Translate(PoolEvent e) => e.Type switch
    {
        PoolEventType.Progress when e.Operation == "upload" => Progress(LiveTopics.UploadProgress, e),
        PoolEventType.Progress when e.Operation == "download" => Progress(LiveTopics.DownloadProgress, e),
        PoolEventType.Progress => null,
        PoolEventType.FileVerified => Frame(LiveTopics.Verification, null, e,
            new VerificationResult(e.Path ?? "/", e.Detail is "intact", e.Detail), Json.VerificationResult),
        PoolEventType.HealthChecked => Frame(LiveTopics.Health, null, e,
            new HealthResult(StateOf(e.Detail), e.Detail ?? string.Empty), Json.HealthResult),
        PoolEventType.ChunkMoved => Frame(LiveTopics.Rebalance, null, e,
            new ChunkMove(e.Path, e.Chunk, e.Detail is { } d && d.StartsWith("from ", StringComparison.Ordinal) ? d[5..] : null, e.Remote, e.Bytes), Json.ChunkMove),
        PoolEventType.RemoteError => Frame(LiveTopics.RemoteError, null, e,
            new RemoteFailure(e.Remote, e.Operation, e.ErrorKind is { } kind ? JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString()) : null, e.Detail), Json.RemoteFailure),
        _ => Frame(LiveTopics.Files, null, e, new FileChange(e.Type.HookName(), e.Path, e.Bytes, e.Detail), Json.FileChange),
    };

    private static LiveFrame Progress(string topic, PoolEvent e) =>
        Frame(topic, topic + "\n" + e.Path, e, new TransferProgress(e.Path ?? "/", e.Bytes ?? 0, e.TotalBytes, e.Operation!), Json.TransferProgress);

    private static LiveFrame Frame<T>(string topic, string? coalesceKey, PoolEvent e, T data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        new(LiveTopics.BitOf(topic), coalesceKey, LiveMessages.Encode(LiveMessages.Event, topic, e.Time, data, info));

    /// <summary>"healthy: 12 files (…)" → "healthy".</summary>
    private static string StateOf(string? summary)
    {
        var colon = summary?.IndexOf(':') ?? -1;
        return colon > 0 ? summary![..colon] : "unknown";
    }
}
