namespace RclonePool.Server.Api.Json;

/// <summary>The caller's quota in <c>GET stats</c>: limits (0: none), what the pool holds, and what uploads in flight hold.</summary>
internal sealed record QuotaJson(string User, long QuotaBytes, long QuotaFiles, long UsedBytes, long UsedFiles, long ReservedBytes, long ReservedFiles);
