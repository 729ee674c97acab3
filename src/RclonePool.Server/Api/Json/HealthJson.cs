namespace RclonePool.Server.Api.Json;

/// <summary><c>GET health</c>: the last health check: when, the pool's state, a one-line summary, remotes and files.</summary>
internal sealed record HealthJson(DateTime CheckedAt, string State, string Summary, IReadOnlyList<HealthRemoteJson> Remotes, HealthFilesJson Files);
