using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary>The files in each <see cref="HealthState"/>, best to worst (health's <c>files_by_state</c>).</summary>
internal sealed record HealthCountsJson(int Healthy, int Degraded, int Critical, int Lost)
{
    public static HealthCountsJson From(HealthReport report) => new(
        report.Count(HealthState.Healthy),
        report.Count(HealthState.Degraded),
        report.Count(HealthState.Critical),
        report.Count(HealthState.Lost));
}
