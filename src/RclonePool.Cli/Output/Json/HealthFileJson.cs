using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary>One file of <c>health --json</c>: its state, margin and the objects that are not available.</summary>
internal sealed record HealthFileJson(
    string Path,
    string FileId,
    long Revision,
    long Size,
    string Mode,
    string State,
    int Tolerance,
    int Margin,
    int Chunks,
    int ObjectsExpected,
    int ObjectsAvailable,
    IReadOnlyList<DamageJson> Problems)
{
    public static HealthFileJson From(FileHealth file) => new(
        file.Path,
        file.FileId,
        file.Revision,
        file.Size,
        file.Mode,
        file.State.Name(),
        file.Tolerance,
        file.Margin,
        file.Chunks,
        file.ObjectsExpected,
        file.ObjectsAvailable,
        DamageJson.FromAll(file.Problems));
}
