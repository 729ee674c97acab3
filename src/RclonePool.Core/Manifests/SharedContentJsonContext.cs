using System.Text.Json.Serialization;

namespace RclonePool.Core.Manifests;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SharedContent))]
[JsonSerializable(typeof(ContentClaim))]
internal sealed partial class SharedContentJsonContext : JsonSerializerContext;
