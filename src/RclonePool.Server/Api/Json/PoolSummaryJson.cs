namespace RclonePool.Server.Api.Json;

/// <summary>How much the pool holds and how many of its remotes answer.</summary>
internal sealed record PoolSummaryJson(long Files, long Directories, long Bytes, int Remotes, int RemotesAnswering);
