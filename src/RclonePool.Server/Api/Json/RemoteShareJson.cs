namespace RclonePool.Server.Api.Json;

/// <summary>One remote in <c>GET stats</c>: bytes stored, free space, objects and its share of the pool, in percent.</summary>
internal sealed record RemoteShareJson(string Name, long UsedBytes, long? FreeBytes, long Objects, double Share);
