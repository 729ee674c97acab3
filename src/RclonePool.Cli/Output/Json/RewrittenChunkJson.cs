using RclonePool.Core.Integrity;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary>One damaged object <c>rebuild</c> wrote again: the damage, and the remote it moved from and to.</summary>
internal sealed record RewrittenChunkJson(int Chunk, string Damage, string Detail, string OldRemote, string NewRemote)
{
    public static RewrittenChunkJson From(RepairedChunk chunk) =>
        new(chunk.Chunk, chunk.Kind.Name(), chunk.Detail, chunk.OldRemote, chunk.NewRemote);
}
