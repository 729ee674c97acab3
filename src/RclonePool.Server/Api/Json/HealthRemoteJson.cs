namespace RclonePool.Server.Api.Json;

/// <summary>What one remote holds of what the manifests expect of it, as the last health check found.</summary>
internal sealed record HealthRemoteJson(
    string Name,
    bool Reachable,
    string? Error,
    int ObjectsExpected,
    int ObjectsPresent,
    int ObjectsDamaged,
    int ObjectsMissing,
    int ManifestsMissing);
