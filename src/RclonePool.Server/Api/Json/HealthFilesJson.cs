namespace RclonePool.Server.Api.Json;

/// <summary>Files by health state, and every file that is not healthy.</summary>
internal sealed record HealthFilesJson(int Total, int Healthy, int Degraded, int Critical, int Lost, IReadOnlyList<FileHealthJson> NotHealthy);
