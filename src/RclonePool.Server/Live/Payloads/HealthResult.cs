namespace RclonePool.Server.Live.Payloads;

/// <summary>health: a health check finished (state "healthy", "degraded", "critical" …, and the one-line summary).</summary>
internal sealed record HealthResult(string State, string Summary);
