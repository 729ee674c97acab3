using System.Text.Encodings.Web;
using System.Text.Json;

namespace RclonePool.Core.Events;

/// <summary>
/// An event as one JSON object, as <c>event_commands</c> get it on stdin: <c>hook</c>, <c>time</c> (ISO 8601, UTC), and
/// those of <c>path</c>, <c>remote</c>, <c>chunk</c>, <c>operation</c>, <c>bytes</c>, <c>total_bytes</c>, <c>message</c>
/// that the event has.
/// </summary>
public static class EventJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Serialize(PoolEvent poolEvent)
    {
        ArgumentNullException.ThrowIfNull(poolEvent);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("hook", poolEvent.Type.HookName());
            writer.WriteString("time", poolEvent.Time.ToUniversalTime());
            WriteIfSet(writer, "path", poolEvent.Path);
            WriteIfSet(writer, "remote", poolEvent.Remote);
            if (poolEvent.Chunk is { } chunk)
            {
                writer.WriteNumber("chunk", chunk);
            }

            WriteIfSet(writer, "operation", poolEvent.Operation);
            if (poolEvent.Bytes is { } bytes)
            {
                writer.WriteNumber("bytes", bytes);
            }

            if (poolEvent.TotalBytes is { } total)
            {
                writer.WriteNumber("total_bytes", total);
            }

            WriteIfSet(writer, "message", poolEvent.Detail);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
