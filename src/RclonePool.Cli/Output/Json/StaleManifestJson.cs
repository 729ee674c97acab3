using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary>One copy of a superseded manifest revision in <c>orphans --json</c>.</summary>
internal sealed record StaleManifestJson(string Remote, string Object, string Path, long Revision, long CurrentRevision, bool OldEnough)
{
    public static StaleManifestJson From(StaleManifest stale) =>
        new(stale.Remote, stale.Object, stale.Path, stale.Revision, stale.CurrentRevision, stale.OldEnough);
}
