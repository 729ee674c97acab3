namespace RclonePool.Server.Live.Payloads;

/// <summary>rebalance: one chunk object moved from one remote to another.</summary>
internal sealed record ChunkMove(string? Path, int? Chunk, string? From, string? To, long? Bytes);
