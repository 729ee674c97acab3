using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace RclonePool.Server.Live;

/// <summary>Encodes the server's messages: <c>{"type","topic","time","data"}</c>, UTF-8 JSON, time in ISO 8601 UTC.</summary>
internal static class LiveMessages
{
    public const string Event = "event";
    public const string Subscribed = "subscribed";
    public const string Unsubscribed = "unsubscribed";
    public const string Error = "error";

    public static byte[] Encode<T>(string type, string? topic, DateTimeOffset time, T data, JsonTypeInfo<T> info)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            if (topic is null)
            {
                writer.WriteNull("topic");
            }
            else
            {
                writer.WriteString("topic", topic);
            }

            writer.WriteString("time", time.UtcDateTime);
            writer.WritePropertyName("data");
            JsonSerializer.Serialize(writer, data, info);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
