namespace RclonePool.Server.Api.Json;

/// <summary><c>GET status</c>: the version, the pool's size, its health and the server's clock.</summary>
internal sealed record StatusJson(string Version, PoolSummaryJson Pool, string Health, long UptimeSeconds, DateTime ServerTime);
