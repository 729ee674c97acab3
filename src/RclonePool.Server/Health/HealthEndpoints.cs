using Microsoft.AspNetCore.Http;

namespace RclonePool.Server.Health;

/// <summary>
/// <c>GET|HEAD /healthz</c> (the process answers: 200 <c>ok</c>) and <c>GET|HEAD /readyz</c> (200 <c>ready</c>, or 503
/// <c>not ready</c> while <paramref name="isReady"/> says no: <see cref="PoolReadiness"/> of the pool, or of every user's open pool), before authentication and revealing nothing else. Other
/// methods on these paths, and every other path, go on to the pool (so a pool file named <c>healthz</c> at the root
/// is still reachable by PROPFIND, PUT and DELETE, not by GET).
/// </summary>
internal sealed class HealthEndpoints(RequestDelegate next, Func<bool> isReady)
{
    public const string Alive = "/healthz";
    public const string Ready = "/readyz";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return next(context);
        }

        var path = request.PathBase.Add(request.Path).Value;
        if (string.Equals(path, Alive, StringComparison.Ordinal))
        {
            return WriteAsync(context, StatusCodes.Status200OK, "ok");
        }

        if (string.Equals(path, Ready, StringComparison.Ordinal))
        {
            var ready = isReady();
            return WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, ready ? "ready" : "not ready");
        }

        return next(context);
    }

    private static Task WriteAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
