using System.Text.Json.Serialization;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary>One remote of <c>health --json</c>: reachable or why not, and what it holds of what is expected of it.</summary>
internal sealed record HealthRemoteJson(
    string Name,
    bool Reachable,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    int ObjectsExpected,
    int ObjectsPresent,
    int ObjectsDamaged,
    int ObjectsMissing,
    int ManifestsMissing)
{
    public static HealthRemoteJson From(RemoteHealth remote) => new(
        remote.Name,
        remote.Reachable,
        remote.Error,
        remote.ObjectsExpected,
        remote.ObjectsPresent,
        remote.ObjectsDamaged,
        remote.ObjectsMissing,
        remote.ManifestsMissing);
}
