using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RclonePool.Core.Jobs;
using RclonePool.Server.Api.Json;

namespace RclonePool.Server.Api.Endpoints;

/// <summary><c>GET status</c>, <c>GET remotes</c>, <c>GET stats</c>, <c>GET health</c>.</summary>
internal static class StatusEndpoints
{
    private static readonly string Version = ReadVersion();

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/status", StatusAsync)
            .WithName("GetStatus").WithSummary("Version, pool size, health, uptime")
            .Produces<StatusJson>();
        api.MapGet("/remotes", RemotesAsync)
            .WithName("ListRemotes").WithSummary("Every remote: space, objects, whether it answers, circuit, draining, weight, priority")
            .Produces<IReadOnlyList<RemoteJson>>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/stats", StatsAsync)
            .WithName("GetStats").WithSummary("Files, bytes, stored bytes, chunks, each remote's share, utilisation variance")
            .Produces<StatsJson>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapGet("/health", HealthAsync)
            .WithName("GetHealth").WithSummary("The last health check (a quick one runs first if none has)")
            .Produces<HealthJson>().ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> StatusAsync(HttpContext http, PoolApiContext api)
    {
        var counts = await api.Summary.GetAsync(http.RequestAborted);
        var remotes = api.Pool?.Remotes ?? [];
        var answering = api.Pool is { } pool ? remotes.Count(r => !pool.CircuitBreaker.IsOpen(r.Storage)) : 0;
        var now = api.Time.GetUtcNow();
        return TypedResults.Json(
            new StatusJson(
                Version,
                new PoolSummaryJson(counts.Files, counts.Directories, counts.Bytes, remotes.Count, answering),
                api.Health.PoolState(),
                (long)(now - api.Started).TotalSeconds,
                now.UtcDateTime),
            ApiJsonContext.Default.StatusJson);
    }

    private static async Task<IResult> RemotesAsync(HttpContext http, PoolApiContext api)
    {
        var pool = api.RequirePool();
        var balance = await http.RequestServices.GetRequiredService<Rebalancer>().StatusAsync(http.RequestAborted);
        var draining = pool.Config.DrainingRemotes.ToHashSet(StringComparer.Ordinal);
        var remotes = pool.Remotes.Select(remote =>
        {
            var b = balance.Remotes.FirstOrDefault(r => r.Remote == remote.Name);
            var open = pool.CircuitBreaker.IsOpen(remote.Storage);
            return new RemoteJson(
                remote.Name,
                remote.Storage,
                b?.Used ?? 0,
                b?.Free,
                b?.Total,
                b?.Objects ?? 0,
                !open,
                open ? "open" : "closed",
                draining.Contains(remote.Name),
                b?.Weight ?? 1.0,
                b?.Priority ?? 0);
        }).ToList();
        return TypedResults.Json<IReadOnlyList<RemoteJson>>(remotes, ApiJsonContext.Default.IReadOnlyListRemoteJson);
    }

    private static async Task<IResult> StatsAsync(HttpContext http, PoolApiContext api)
    {
        api.RequirePool();
        var balance = await http.RequestServices.GetRequiredService<Rebalancer>().StatusAsync(http.RequestAborted);
        var counts = await api.Summary.GetAsync(http.RequestAborted);
        var quota = api.Pool?.Quota is { } ledger ? await ledger.UsageAsync(http.RequestAborted) : (Core.Quotas.QuotaUsage?)null;
        return TypedResults.Json(
            new StatsJson(
                counts.Files,
                counts.Bytes,
                balance.Used,
                balance.Remotes.Sum(r => r.Objects),
                [.. balance.Remotes.Select(r => new RemoteShareJson(r.Remote, r.Used, r.Free, r.Objects, r.Share))],
                balance.Variance,
                quota is { } q ? new QuotaJson(q.Limits.Owner, q.Limits.Bytes, q.Limits.Files, q.Bytes, q.Files, q.ReservedBytes, q.ReservedFiles) : null),
            ApiJsonContext.Default.StatsJson);
    }

    private static async Task<IResult> HealthAsync(HttpContext http, PoolApiContext api)
    {
        api.RequirePool();
        var (report, at) = await api.Health.GetOrCheckAsync(http.RequestServices.GetRequiredService<HealthChecker>(), http.RequestAborted);
        return TypedResults.Json(ApiMapping.Health(report, at), ApiJsonContext.Default.HealthJson);
    }

    private static string ReadVersion()
    {
        var version = typeof(StatusEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
