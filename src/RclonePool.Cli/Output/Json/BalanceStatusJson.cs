using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary><c>balance-status --json</c>.</summary>
internal sealed record BalanceStatusJson(long UsedBytes, double VariancePercent, double ThresholdPercent, bool AboveThreshold, IReadOnlyList<RemoteBalanceJson> Remotes)
{
    public static BalanceStatusJson From(BalanceReport report) =>
        new(report.Used, Math.Round(report.Variance, 2), report.Threshold, report.AboveThreshold, [.. report.Remotes.Select(RemoteBalanceJson.From)]);
}
