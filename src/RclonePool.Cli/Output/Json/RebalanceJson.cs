using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary><c>rebalance --json</c>: the plan (every move for a dry run) and, for a run, what was moved.</summary>
internal sealed record RebalanceJson(
    bool DryRun,
    double TargetVariancePercent,
    double VarianceBeforePercent,
    double VarianceAfterPercent,
    bool ReachesTarget,
    int MovesPlanned,
    long BytesPlanned,
    int MovesDone,
    long BytesMoved,
    int FilesSkipped,
    int FilesFinished,
    int RemoteCalls,
    double Seconds,
    IReadOnlyList<ChunkMoveJson> Moves,
    IReadOnlyList<RebuildFailureJson> Failed)
{
    public static RebalanceJson From(RebalanceReport report, TimeSpan elapsed) => new(
        report.DryRun,
        report.Plan.TargetVariance,
        Math.Round(report.Plan.VarianceBefore, 2),
        Math.Round(report.VarianceAfter, 2),
        report.VarianceAfter <= report.Plan.TargetVariance,
        report.Plan.Moves.Count,
        report.Plan.Bytes,
        report.Moved.Count,
        report.BytesMoved,
        report.Skipped,
        report.Finished,
        report.RemoteCalls,
        Math.Round(elapsed.TotalSeconds, 3),
        [.. (report.DryRun ? report.Plan.Moves : report.Moved).Select(ChunkMoveJson.From)],
        [.. report.Failed.Select(f => new RebuildFailureJson(f.Path, f.Error))]);
}
