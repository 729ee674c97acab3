namespace RclonePool.Core.Pool.Writing;

/// <summary>An existing content-addressed object an upload may reuse: where, its size, and its shard (0 for a whole chunk).</summary>
internal sealed record FoundObject(PoolRemote Remote, string Object, long Size, int Shard);
