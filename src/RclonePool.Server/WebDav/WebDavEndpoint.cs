using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Pool;
using RclonePool.Server.Transport;
using RclonePool.Server.WebDav.Handlers;
using RclonePool.Server.WebDav.Xml;

namespace RclonePool.Server.WebDav;

/// <summary>
/// The WebDAV request pipeline: decodes and confines the target once, dispatches to the handler of the method, and maps
/// every failure to one status (RFC 4918 error bodies where the RFC names a condition).
/// </summary>
internal sealed class WebDavEndpoint
{
    private readonly DavServices _services;
    private readonly Dictionary<string, IMethodHandler> _handlers;

    public WebDavEndpoint(IPoolFileSystem pool, ServerOptions options, ILoggerFactory loggerFactory)
    {
        _services = new DavServices(pool, options, loggerFactory.CreateLogger("RclonePool.Server.WebDav"));
        var get = new GetHandler();
        _handlers = new Dictionary<string, IMethodHandler>(StringComparer.Ordinal)
        {
            ["OPTIONS"] = new OptionsHandler(),
            ["GET"] = get,
            ["HEAD"] = get,
            ["PUT"] = new PutHandler(),
            ["DELETE"] = new DeleteHandler(),
            ["MKCOL"] = new MkcolHandler(),
            ["COPY"] = new CopyHandler(),
            ["MOVE"] = new MoveHandler(),
            ["PROPFIND"] = new PropFindHandler(),
            ["PROPPATCH"] = new PropPatchHandler(),
            ["LOCK"] = new LockHandler(),
            ["UNLOCK"] = new UnlockHandler(),
        };
    }

    internal DavServices Services => _services;

    public async Task InvokeAsync(HttpContext http)
    {
        var method = http.Request.Method;
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "/";
        try
        {
            if (!_handlers.TryGetValue(method, out var handler))
            {
                http.Response.Headers.Allow = OptionsHandler.AllMethods;
                throw new DavException(
                    method == "POST" ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status501NotImplemented,
                    $"{method} is not supported here.");
            }

            if (raw == "*" && method == "OPTIONS")
            {
                OptionsHandler.WriteServerWide(http.Response);
                return;
            }

            var target = RequestTarget.Decode(PathOf(raw), _services.PathBase);
            await handler.HandleAsync(new DavContext(http, _services, target));
        }
        catch (DavException e)
        {
            ServerLog.Refused(_services.Logger, method, raw, e.Status, e.Message);
            await FailAsync(http, e.Status, e.Message, e.Condition, e.Hrefs);
        }
        catch (PoolException e)
        {
            var status = PoolErrors.StatusOf(e.Kind);
            if (e.Kind == PoolErrorKind.Integrity)
            {
                ServerLog.IntegrityFailure(_services.Logger, method, raw, e.Message, e);
            }
            else if (status >= 500)
            {
                ServerLog.PoolFailure(_services.Logger, method, raw, e.Kind.ToString(), e.Message);
            }

            if (e.Kind == PoolErrorKind.Transient && !http.Response.HasStarted)
            {
                http.Response.Headers.RetryAfter = "5";
            }

            await FailAsync(http, status, e.Message, null, []);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            ServerLog.ClientAborted(_services.Logger, method, raw);
        }
        catch (ConnectionResetException)
        {
            ServerLog.ClientAborted(_services.Logger, method, raw);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own refusals while reading the body: too large (413), cut short (400), too slow (408).
            ServerLog.Refused(_services.Logger, method, raw, e.StatusCode, e.Message);
            await FailAsync(http, e.StatusCode, e.Message, null, []);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            ServerLog.ClientAborted(_services.Logger, method, raw);
        }
        catch (Exception e)
        {
            ServerLog.UnexpectedFailure(_services.Logger, method, raw, e);
            await FailAsync(http, StatusCodes.Status500InternalServerError, "The server failed unexpectedly; see its log.", null, []);
        }
    }

    private static string PathOf(string raw)
    {
        var span = raw.AsSpan();
        if (span.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || span.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            var afterScheme = span.IndexOf("//") + 2;
            var slash = span[afterScheme..].IndexOf('/');
            span = slash < 0 ? "/" : span[(afterScheme + slash)..];
        }

        var query = span.IndexOf('?');
        return (query < 0 ? span : span[..query]).ToString();
    }

    private async Task FailAsync(HttpContext http, int status, string message, string? condition, IReadOnlyList<string> hrefs)
    {
        var response = http.Response;
        if (response.HasStarted)
        {
            ServerLog.FailedMidResponse(_services.Logger, http.Request.Method, http.Request.Path, message);
            throw await MidResponseFailure.EndAsync(http, message);
        }

        var allow = response.Headers.Allow;
        response.Clear();
        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            response.Headers.Allow = allow.Count > 0 ? allow : OptionsHandler.AllMethods;
        }

        if (condition is not null)
        {
            await XmlResponse.WriteErrorAsync(response, status, condition, hrefs, CancellationToken.None);
            return;
        }

        response.StatusCode = status;
        if (status is StatusCodes.Status304NotModified or StatusCodes.Status204NoContent || HttpMethods.IsHead(http.Request.Method))
        {
            return;
        }

        var body = DavXml.Utf8.GetBytes(message + "\n");
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength = body.Length;
        try
        {
            await response.Body.WriteAsync(body, http.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or ConnectionResetException or IOException)
        {
            ServerLog.ClientAborted(_services.Logger, http.Request.Method, http.Request.Path);
        }
    }
}
