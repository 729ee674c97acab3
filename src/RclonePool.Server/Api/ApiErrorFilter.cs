using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Server.Transport;

namespace RclonePool.Server.Api;

/// <summary>
/// Maps every failure of an API endpoint to one problem details response: the pool's failure kinds as WebDAV maps
/// them, the API's own refusals, Kestrel's body refusals (413, 400); a client gone away gets nothing; anything else
/// is logged and answered with 500. A failure after the response started ends it short (<see cref="MidResponseFailure"/>).
/// </summary>
internal sealed class ApiErrorFilter(ILogger logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is OperationCanceledException or ConnectionResetException && http.RequestAborted.IsCancellationRequested)
        {
            ServerLog.ClientAborted(logger, http.Request.Method, http.Request.Path.Value ?? "/");
            return Results.Empty;
        }
        catch (Exception e)
        {
            var problem = ApiProblems.Classify(e);
            if (problem is null)
            {
                ServerLog.UnexpectedFailure(logger, http.Request.Method, http.Request.Path.Value ?? "/", e);
                problem = (StatusCodes.Status500InternalServerError, "The server failed unexpectedly; see its log.");
            }
            else if (e is PoolException { Kind: PoolErrorKind.Integrity } integrity)
            {
                ServerLog.IntegrityFailure(logger, http.Request.Method, http.Request.Path.Value ?? "/", integrity.Message, integrity);
            }
            else
            {
                ServerLog.Refused(logger, http.Request.Method, http.Request.Path.Value ?? "/", problem.Value.Status, problem.Value.Detail);
            }

            if (http.Response.HasStarted)
            {
                ServerLog.FailedMidResponse(logger, http.Request.Method, http.Request.Path.Value ?? "/", problem.Value.Detail);
                throw await MidResponseFailure.EndAsync(http, problem.Value.Detail);
            }

            if (e is PoolException { IsTransient: true })
            {
                http.Response.Headers.RetryAfter = "5";
            }

            return ApiProblems.Result(problem.Value.Status, problem.Value.Detail);
        }
    }
}
