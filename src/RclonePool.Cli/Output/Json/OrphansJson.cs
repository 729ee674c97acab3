using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary><c>orphans --json</c>: what was found and, with --delete, removed.</summary>
internal sealed record OrphansJson(
    double MinAgeSeconds,
    int OrphanCount,
    long OrphanBytes,
    int ReferencedChunks,
    int RemoteCalls,
    bool Deleted,
    int ChunksDeleted,
    long BytesDeleted,
    int ManifestsDeleted,
    int IndexCorrections,
    IReadOnlyList<OrphanJson> Orphans,
    IReadOnlyList<StaleManifestJson> StaleManifests,
    IReadOnlyList<string> Blockers)
{
    public static OrphansJson From(OrphanReport report, OrphanOptions options) => new(
        options.MinAge.TotalSeconds,
        report.Chunks.Count,
        report.OrphanBytes,
        report.ReferencedChunks,
        report.RemoteCalls,
        report.Deleted,
        report.ChunksDeleted,
        report.BytesDeleted,
        report.ManifestsDeleted,
        report.IndexCorrections,
        [.. report.Chunks.Select(OrphanJson.From)],
        [.. report.StaleManifests.Select(StaleManifestJson.From)],
        report.Blockers);
}
