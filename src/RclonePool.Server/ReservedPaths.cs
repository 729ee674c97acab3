using Microsoft.AspNetCore.Http;
using RclonePool.Server.Api;

namespace RclonePool.Server;

/// <summary>Keeps WebDAV away from <see cref="ServerPaths.Reserved"/>: a request there that nothing else answered gets 404, never the pool.</summary>
internal static class ReservedPaths
{
    public static RequestDelegate Guard(RequestDelegate webDav) => context =>
        context.Request.Path.StartsWithSegments(ServerPaths.Reserved)
            ? ApiProblems.WriteAsync(context, StatusCodes.Status404NotFound, $"There is nothing at {context.Request.Path}; paths under {ServerPaths.Reserved} belong to rclonepool itself, not to the pool.")
            : webDav(context);
}
