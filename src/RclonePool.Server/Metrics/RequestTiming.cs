using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RclonePool.Server.Health;

namespace RclonePool.Server.Metrics;

/// <summary>
/// Times every request of the main listener into <c>rclonepool_http_request_duration_seconds</c>, labelled by route
/// (the endpoint's pattern such as <c>/_rclonepool/ws</c>, <c>/healthz</c>, or <c>webdav</c> for what WebDAV handles
/// or authentication refused), method and status. Bounded labels: paths of pool files never become labels.
/// </summary>
internal sealed class RequestTiming(RequestDelegate next, PoolMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            metrics.ObserveRequest(RouteOf(context), MethodOf(context.Request.Method), context.Response.StatusCode, time.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static string RouteOf(HttpContext context)
    {
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern })
        {
            return pattern;
        }

        var path = context.Request.Path.Value;
        return path is HealthEndpoints.Alive or HealthEndpoints.Ready ? path : "webdav";
    }

    /// <summary>The method, or "other" for one no client of ours sends (so a scanner cannot mint label values).</summary>
    private static string MethodOf(string method) => method switch
    {
        "GET" or "HEAD" or "PUT" or "POST" or "DELETE" or "OPTIONS" or "PATCH" or "PROPFIND" or "PROPPATCH" or "MKCOL" or "COPY" or "MOVE" or "LOCK" or "UNLOCK" => method,
        _ => "other",
    };
}
