using System.Text.Json.Serialization;
using RclonePool.Server.Live.Payloads;

namespace RclonePool.Server.Live;

/// <summary>The source-generated JSON of the WebSocket messages: snake_case, nulls written.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TransferProgress))]
[JsonSerializable(typeof(VerificationResult))]
[JsonSerializable(typeof(HealthResult))]
[JsonSerializable(typeof(ChunkMove))]
[JsonSerializable(typeof(RemoteFailure))]
[JsonSerializable(typeof(FileChange))]
[JsonSerializable(typeof(LiveStats))]
[JsonSerializable(typeof(TopicReply))]
[JsonSerializable(typeof(ErrorReply))]
[JsonSerializable(typeof(ClientRequest))]
internal sealed partial class LiveJsonContext : JsonSerializerContext;
