using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary><c>verify --json</c>.</summary>
internal sealed record VerifyJson(
    string Scope,
    bool Quick,
    bool Clean,
    int Files,
    int Directories,
    int Chunks,
    long BytesRead,
    int RemoteCalls,
    double ElapsedSeconds,
    int DamagedFiles,
    IReadOnlyList<DamageJson> Damage)
{
    public static VerifyJson From(VerifyReport report, TimeSpan elapsed) => new(
        report.Scope,
        report.Quick,
        report.Clean,
        report.Files,
        report.Directories,
        report.Chunks,
        report.BytesRead,
        report.RemoteCalls,
        Math.Round(elapsed.TotalSeconds, 3),
        report.DamagedFiles,
        DamageJson.FromAll(report.Damage));
}
