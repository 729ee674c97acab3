using RclonePool.Core.Integrity;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool;
using RclonePool.Server.Api.Json;

namespace RclonePool.Server.Api;

/// <summary>The pool's records as the API's JSON.</summary>
internal static class ApiMapping
{
    private static readonly IReadOnlyDictionary<string, string> NoHashes = new Dictionary<string, string>();

    public static EntryJson Entry(PoolEntry entry) =>
        new(entry.Path.Value, entry.Path.Name, TypeOf(entry), entry.IsDirectory ? 0 : entry.Size, entry.Modified.UtcDateTime);

    public static FileJson File(PoolEntry entry, Manifest? manifest, string health) => new(
        entry.Path.Value,
        entry.Path.Name,
        TypeOf(entry),
        entry.IsDirectory ? 0 : entry.Size,
        entry.Modified.UtcDateTime,
        entry.Sha256 is { } sha ? new Dictionary<string, string> { ["sha256"] = sha } : NoHashes,
        manifest is null || entry.IsDirectory ? "none" : Redundancy(manifest.Redundancy),
        manifest is null || entry.IsDirectory ? [] : [.. manifest.Chunks.Select(c => new ChunkJson(c.Index, c.Offset, c.Length, [.. c.Locations.Select(l => new LocationJson(l.Remote, l.Object))]))],
        entry.IsDirectory ? "unknown" : health);

    public static string Redundancy(RedundancySpec spec) => spec.Mode switch
    {
        "replication" => $"replication:{spec.Copies}",
        "parity" or "hybrid" => $"{spec.Mode}:{spec.DataShards}+{spec.ParityShards}",
        _ => spec.Mode,
    };

    public static VerifyResultJson Verify(VerifyReport report) => new(
        report.Scope,
        report.Quick,
        report.Clean,
        report.Files,
        report.Chunks,
        report.BytesRead,
        [.. report.Damage.Select(d => new DamageJson(d.Kind.Name(), d.Path, d.Chunk, d.Remote, d.Object, d.Detail))]);

    public static RepairResultJson Repair(RepairReport report) =>
        new(report.Path, report.ChunksChecked, report.Rewritten.Count, report.ManifestCopiesWritten.Count, report.NothingToRepair);

    public static RebalanceResultJson Rebalance(RebalanceReport report) => new(
        report.DryRun,
        report.Plan.VarianceBefore,
        report.DryRun ? report.Plan.VarianceAfter : report.VarianceAfter,
        report.Plan.Moves.Count,
        report.Moved.Count,
        report.BytesMoved,
        [.. report.Failed.Select(f => $"{f.Path}: {f.Error}")]);

    public static HealthJson Health(HealthReport report, DateTimeOffset at) => new(
        at.UtcDateTime,
        report.State.Name(),
        report.Summary(),
        [.. report.Remotes.Select(r => new HealthRemoteJson(r.Name, r.Reachable, r.Error, r.ObjectsExpected, r.ObjectsPresent, r.ObjectsDamaged, r.ObjectsMissing, r.ManifestsMissing))],
        new HealthFilesJson(
            report.Files.Count,
            report.Count(HealthState.Healthy),
            report.Count(HealthState.Degraded),
            report.Count(HealthState.Critical),
            report.Count(HealthState.Lost),
            [.. report.Files.Where(f => f.State != HealthState.Healthy).Select(f => new FileHealthJson(f.Path, f.State.Name(), f.Margin))]));

    private static string TypeOf(PoolEntry entry) => entry.IsDirectory ? "directory" : "file";
}
