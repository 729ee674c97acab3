using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary>One entry <c>rebuild</c> restored: its new revision, the objects rewritten and the manifest copies written.</summary>
internal sealed record RestoredFileJson(string Path, long Revision, IReadOnlyList<RewrittenChunkJson> Rewritten, IReadOnlyList<string> ManifestCopiesWritten)
{
    public static RestoredFileJson From(RepairReport file) =>
        new(file.Path, file.Revision, [.. file.Rewritten.Select(RewrittenChunkJson.From)], file.ManifestCopiesWritten);
}
