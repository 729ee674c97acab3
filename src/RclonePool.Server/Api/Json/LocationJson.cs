namespace RclonePool.Server.Api.Json;

/// <summary>An object holding a chunk (or a copy or shard of it) on a remote.</summary>
internal sealed record LocationJson(string Remote, string Object);
