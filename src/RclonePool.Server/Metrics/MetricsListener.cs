using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RclonePool.Server.Auth;

namespace RclonePool.Server.Metrics;

/// <summary>
/// The second listener (<c>metrics_port</c>): its connections are marked when accepted, and every request on them goes
/// to a branch of the pipeline that authenticates like the rest of the server and answers only <c>GET|HEAD /metrics</c>
/// (anything else 404, so the pool is never reachable there).
/// </summary>
internal static class MetricsListener
{
    private const string Key = "rclonepool.metrics-listener";
    public const string Path = "/metrics";
    private const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Marks the connections of <paramref name="listen"/> as the metrics listener's.</summary>
    public static void Mark(ListenOptions listen) =>
        listen.Use(next => connection =>
        {
            connection.Items[Key] = true;
            return next(connection);
        });

    /// <summary>Adds the branch for the metrics listener's requests (before everything else in the pipeline).</summary>
    /// <param name="mayScrape">With a multi-user server: which authenticated names may read the metrics (others get 403).</param>
    public static IApplicationBuilder UseMetricsListener(this IApplicationBuilder app, PoolMetrics metrics, IRequestAuthenticator? authenticator, Func<string, bool>? mayScrape = null) =>
        app.MapWhen(IsMetricsConnection, branch =>
        {
            branch.UseRequestAuthentication(authenticator);
            branch.Run(context => mayScrape is null || mayScrape(context.User.Identity?.Name ?? string.Empty)
                ? ServeAsync(context, metrics)
                : Api.ApiProblems.WriteAsync(context, StatusCodes.Status403Forbidden,
                    "The metrics name every user of this server, so a user with a pool cannot read them; scrape with credentials of their own (rclonepool user add prometheus)."));
        });

    private static bool IsMetricsConnection(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(Key) == true;

    private static async Task ServeAsync(HttpContext context, PoolMetrics metrics)
    {
        var request = context.Request;
        var response = context.Response;
        if (!string.Equals(request.Path.Value, Path, StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync("This port serves only GET /metrics (Prometheus text format).\n", context.RequestAborted);
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            response.Headers.Allow = "GET, HEAD";
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        if (HttpMethods.IsHead(request.Method))
        {
            return;
        }

        await metrics.WriteAsync(response.Body, context.RequestAborted);
    }
}
