using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary><c>rebuild --json</c>: what was checked, restored and could not be, and the remotes taken back.</summary>
internal sealed record RebuildJson(
    int EntriesChecked,
    int ObjectsChecked,
    IReadOnlyList<string> RemotesClaimed,
    IReadOnlyList<RestoredFileJson> Restored,
    IReadOnlyList<RebuildFailureJson> Failed,
    int RemoteCalls,
    bool Complete)
{
    public static RebuildJson From(RebuildReport report) => new(
        report.EntriesChecked,
        report.ObjectsChecked,
        report.RemotesClaimed,
        [.. report.Restored.Select(RestoredFileJson.From)],
        [.. report.Failed.Select(f => new RebuildFailureJson(f.Path, f.Error))],
        report.RemoteCalls,
        report.Complete);
}
