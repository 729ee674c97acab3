using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output.Json;

/// <summary>One move of <c>rebalance --json</c>.</summary>
internal sealed record ChunkMoveJson(string Path, int Chunk, string Role, string FromRemote, string ToRemote, long Bytes)
{
    public static ChunkMoveJson From(ChunkMove move) =>
        new(move.Path, move.Chunk, move.From.Role.ToString().ToLowerInvariant(), move.From.Remote, move.To, move.Bytes);
}
