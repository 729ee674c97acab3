using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using RclonePool.Core.Errors;
using RclonePool.Core.Pool;
using RclonePool.Server.WebDav;

namespace RclonePool.Server.WebUi;

/// <summary>
/// Serves the web UI in front of WebDAV, after authentication: its files under <c>/_rclonepool/ui/</c>, and the page for
/// a browser's navigation to a directory (a GET whose <c>Accept</c> names <c>text/html</c>, of <c>/</c> or of a path that
/// is a directory in the pool). Every other request (WebDAV clients, file GETs, PROPFIND, ...) goes on to WebDAV
/// unchanged, so the same URLs serve both.
/// </summary>
internal sealed class WebUiMiddleware(RequestDelegate next, IPoolFileSystem pool, WebUiOptions options, WebUiAssets assets)
{
    /// <summary>What the page may load: only this origin, no inline script, no framing.</summary>
    private const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var path = RawPath(context);
        if (path is not null && IsUnderAssets(path))
        {
            await ServeAssetAsync(context, path);
            return;
        }

        if (path is not null && HttpMethods.IsGet(request.Method) && WantsHtml(request) && await IsDirectoryAsync(path, context.RequestAborted))
        {
            await WriteAsync(context, assets.Page, "no-cache", PagePolicy);
            return;
        }

        await next(context);
    }

    private async Task ServeAssetAsync(HttpContext context, string path)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = "GET, HEAD";
            await WriteTextAsync(context, $"{request.Method} is not allowed on the web UI's files; they are read with GET.");
            return;
        }

        var name = path.Length > WebUiOptions.AssetPrefix.Length + 1 ? path[(WebUiOptions.AssetPrefix.Length + 1)..] : string.Empty;
        if (name.Length == 0 || name == "index.html")
        {
            await WriteAsync(context, assets.Page, "no-cache", PagePolicy);
            return;
        }

        if (!assets.TryGet(name, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await WriteTextAsync(context, $"The web UI has no file {name}; reload the page (the server may have been upgraded).");
            return;
        }

        await WriteAsync(context, asset, "no-cache", policy: null);
    }

    /// <summary>Writes one asset: 304 when the client's copy is current, else the best encoding it accepts.</summary>
    private static async Task WriteAsync(HttpContext context, WebUiAsset asset, string cacheControl, string? policy)
    {
        var response = context.Response;
        var headers = response.Headers;
        var (body, encoding) = asset.Select(context.Request.Headers.AcceptEncoding.ToString());
        headers.ETag = encoding is null ? asset.ETag : asset.ETag[..^1] + "-" + encoding + "\"";
        headers.CacheControl = cacheControl;
        headers.Vary = "Accept, Accept-Encoding";
        headers.XContentTypeOptions = "nosniff";
        if (policy is not null)
        {
            headers.ContentSecurityPolicy = policy;
            headers["Referrer-Policy"] = "same-origin";
        }

        if (Matches(context.Request.Headers.IfNoneMatch.ToString(), asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        response.ContentLength = body.Length;
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    /// <summary>If-None-Match against any encoding of the asset (weak comparison, RFC 9110 13.1.2).</summary>
    private static bool Matches(string ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Length == 0)
        {
            return false;
        }

        var tag = etag.Trim('"');
        foreach (var candidate in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var value = candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate;
            value = value.Trim('"');
            if (value == "*" || value == tag || value.StartsWith(tag + "-", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static Task WriteTextAsync(HttpContext context, string message)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }

    private static bool IsUnderAssets(string path) =>
        path.StartsWith(WebUiOptions.AssetPrefix, StringComparison.Ordinal)
        && (path.Length == WebUiOptions.AssetPrefix.Length || path[WebUiOptions.AssetPrefix.Length] == '/');

    /// <summary>A browser navigating: <c>Accept</c> lists <c>text/html</c> (fetch, XHR and WebDAV clients do not).</summary>
    private static bool WantsHtml(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted))
        {
            return false;
        }

        return accepted.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && (a.Quality is null or > 0));
    }

    /// <summary>
    /// Whether the request names <c>/</c> or a directory of the pool; anything doubtful is left to WebDAV, and the
    /// reserved prefix (the API, its documentation page, the WebSocket) to whatever serves it.
    /// </summary>
    private async ValueTask<bool> IsDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        if (path == "/")
        {
            return true;
        }

        if (path.StartsWith(WebUiOptions.ReservedPrefix, StringComparison.Ordinal)
            && (path.Length == WebUiOptions.ReservedPrefix.Length || path[WebUiOptions.ReservedPrefix.Length] == '/'))
        {
            return false;
        }

        RequestTarget target;
        try
        {
            target = RequestTarget.Decode(path, options.DavBase);
        }
        catch (DavException)
        {
            return false; // WebDAV answers the bad or outside path with its own status
        }

        if (target.Path.IsRoot)
        {
            return true;
        }

        try
        {
            return await pool.StatAsync(target.Path, cancellationToken) is { IsDirectory: true };
        }
        catch (PoolException)
        {
            return false; // WebDAV reports the failure with its status
        }
    }

    /// <summary>The request's path as the client wrote it (still percent-encoded), without the query; null for other target forms.</summary>
    private static string? RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        if (raw.Length == 0 || raw[0] != '/')
        {
            return null;
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? raw : raw[..query];
    }
}
