using System.Text.Json.Serialization;

namespace RclonePool.Server.Api.Json;

/// <summary>
/// The REST API's JSON, source-generated: snake_case names, times as ISO 8601 UTC, unknown request fields refused (a
/// misspelt field is an error, never silently ignored).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusJson))]
[JsonSerializable(typeof(ListingJson))]
[JsonSerializable(typeof(FileJson))]
[JsonSerializable(typeof(IReadOnlyList<RemoteJson>))]
[JsonSerializable(typeof(StatsJson))]
[JsonSerializable(typeof(HealthJson))]
[JsonSerializable(typeof(MoveRequest))]
[JsonSerializable(typeof(DirectoryRequest))]
[JsonSerializable(typeof(LocalUploadRequest))]
[JsonSerializable(typeof(VerifyRequest))]
[JsonSerializable(typeof(RepairRequest))]
[JsonSerializable(typeof(RebalanceRequest))]
[JsonSerializable(typeof(JobJson))]
[JsonSerializable(typeof(IReadOnlyList<JobJson>))]
[JsonSerializable(typeof(JobAcceptedJson))]
[JsonSerializable(typeof(VerifyResultJson))]
[JsonSerializable(typeof(RepairResultJson))]
[JsonSerializable(typeof(RebalanceResultJson))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
