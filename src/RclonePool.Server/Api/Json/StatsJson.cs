using System.Text.Json.Serialization;

namespace RclonePool.Server.Api.Json;

/// <summary>
/// <c>GET stats</c>: files, logical and stored bytes, chunks, each remote's share and the utilisation variance; with a
/// multi-user server, the caller's quota and usage too (absent otherwise).
/// </summary>
internal sealed record StatsJson(
    long Files,
    long Bytes,
    long StoredBytes,
    long Chunks,
    IReadOnlyList<RemoteShareJson> Remotes,
    double UtilisationVariance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] QuotaJson? Quota = null);
