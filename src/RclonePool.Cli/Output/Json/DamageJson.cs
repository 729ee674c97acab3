using System.Text.Json.Serialization;
using RclonePool.Core.Integrity;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary>One damage finding (verify, health): kind, where (each part left out when unknown), and what.</summary>
internal sealed record DamageJson(
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FileId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Chunk,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Remote,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Object,
    string Detail)
{
    public static DamageJson From(Damage damage) =>
        new(damage.Kind.Name(), damage.Path, damage.FileId, damage.Chunk, damage.Remote, damage.Object, damage.Detail);

    public static IReadOnlyList<DamageJson> FromAll(IEnumerable<Damage> damage) => [.. damage.Select(From)];
}
