using System.Text.Json.Serialization;

namespace RclonePool.Cli.Output.Json;

/// <summary>
/// The source-generated serialiser of every <c>--json</c> report: snake_case names in declaration order, indented by
/// two spaces, the default (escaping) encoder; optional fields say themselves when they are left out.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(VerifyJson))]
[JsonSerializable(typeof(HealthJson))]
[JsonSerializable(typeof(OrphansJson))]
[JsonSerializable(typeof(RebuildJson))]
[JsonSerializable(typeof(BalanceStatusJson))]
[JsonSerializable(typeof(RebalanceJson))]
[JsonSerializable(typeof(IReadOnlyList<LsEntryJson>), TypeInfoPropertyName = "LsJson")]
internal sealed partial class CliJsonContext : JsonSerializerContext;
