using System.Text.Json.Serialization;

namespace RclonePool.Core.Manifests;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(PoolDescriptor))]
[JsonSerializable(typeof(PackHeader))]
[JsonSerializable(typeof(PackRecordHead))]
[JsonSerializable(typeof(Tombstone))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
