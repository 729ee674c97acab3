using System.Text.Json.Serialization;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary><c>health --json</c>: every file and every remote in scope.</summary>
internal sealed record HealthJson(
    string Scope,
    bool Deep,
    string State,
    bool Healthy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Margin,
    string Summary,
    HealthCountsJson FilesByState,
    int Directories,
    int ObjectsChecked,
    long BytesRead,
    int RemoteCalls,
    double ElapsedSeconds,
    IReadOnlyList<HealthFileJson> Files,
    IReadOnlyList<HealthRemoteJson> Remotes,
    IReadOnlyList<DamageJson> ManifestProblems,
    IReadOnlyList<DamageJson> UnreadableEntries)
{
    public static HealthJson From(HealthReport report, TimeSpan elapsed) => new(
        report.Scope,
        report.Deep,
        report.State.Name(),
        report.Healthy,
        report.Margin,
        report.Summary(),
        HealthCountsJson.From(report),
        report.Directories,
        report.ObjectsChecked,
        report.BytesRead,
        report.RemoteCalls,
        Math.Round(elapsed.TotalSeconds, 3),
        [.. report.Files.Select(HealthFileJson.From)],
        [.. report.Remotes.Select(HealthRemoteJson.From)],
        DamageJson.FromAll(report.ManifestProblems),
        DamageJson.FromAll(report.UnreadableEntries));
}
