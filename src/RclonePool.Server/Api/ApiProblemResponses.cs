using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RclonePool.Server.Api;

/// <summary>
/// Gives every error the API answers without a body (routing's 405, Kestrel's refusals) a problem details body, and
/// answers a path under the API's prefix that no endpoint maps with a 404 problem instead of passing it on.
/// </summary>
public static class ApiProblemResponses
{
    /// <summary>Place after <c>UseRouting</c> and before <c>UseEndpoints</c>.</summary>
    public static IApplicationBuilder UsePoolApiProblems(this IApplicationBuilder app, string prefix)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(prefix))
            {
                await next(context);
                return;
            }

            if (context.GetEndpoint() is null)
            {
                await ApiProblems.WriteAsync(context, StatusCodes.Status404NotFound,
                    $"There is no API endpoint {context.Request.Path}; {prefix}/docs lists them.");
                return;
            }

            await next(context);
            var response = context.Response;
            if (response.StatusCode >= 400 && !response.HasStarted && response.ContentType is null)
            {
                var detail = response.StatusCode switch
                {
                    StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}; the Allow header lists the methods it takes.",
                    StatusCodes.Status413PayloadTooLarge => "The request body is larger than the server accepts; send a smaller one.",
                    _ => $"The request to {context.Request.Path} failed with status {response.StatusCode}.",
                };
                await ApiProblems.WriteAsync(context, response.StatusCode, detail);
            }
        });
    }
}
