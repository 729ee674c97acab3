namespace RclonePool.Server.Api.Json;

/// <summary><c>GET stats</c>: files, logical and stored bytes, chunks, each remote's share and the utilisation variance.</summary>
internal sealed record StatsJson(long Files, long Bytes, long StoredBytes, long Chunks, IReadOnlyList<RemoteShareJson> Remotes, double UtilisationVariance);
