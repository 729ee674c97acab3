using Microsoft.AspNetCore.Http;

namespace RclonePool.Server.Api;

/// <summary>The end of the API server's pipeline: nothing but the API is served there.</summary>
internal static class ApiOnly
{
    public static Task NotFoundAsync(HttpContext context) => ApiProblems.WriteAsync(context, StatusCodes.Status404NotFound,
        $"There is nothing at {context.Request.Path} on the API server; the REST API is under {ServerPaths.Api(ServerRole.Api)} ({ServerPaths.Api(ServerRole.Api)}/docs lists it).");
}
