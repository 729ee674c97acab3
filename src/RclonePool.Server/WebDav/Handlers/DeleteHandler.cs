using Microsoft.AspNetCore.Http;
using RclonePool.Server.WebDav.Http;
using RclonePool.Server.WebDav.Locking;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>DELETE: a file, or a collection with everything below it (Depth infinity only). Locks on what is deleted go with it.</summary>
internal sealed class DeleteHandler : IMethodHandler
{
    public async Task HandleAsync(DavContext context)
    {
        var path = context.Path;
        var entry = await context.StatAsync(path)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{path} does not exist.");
        if (path.IsRoot)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "The root collection cannot be deleted.");
        }

        if (entry.IsDirectory && DavHeaders.Depth(context.Request, Depth.Infinity) != Depth.Infinity)
        {
            throw DavException.BadRequest("DELETE of a collection needs Depth: infinity (or no Depth header).");
        }

        if (ConditionalRequest.Evaluate(context.Request, entry) is { } failed)
        {
            throw new DavException(failed, "A precondition (If-Match, If-Unmodified-Since) does not hold.");
        }

        await LockGuard.CheckAsync(context, entry, LockRequirement.Resource(path.Parent), LockRequirement.Tree(path));
        await context.Pool.DeleteAsync(path, recursive: entry.IsDirectory, context.Aborted);
        await context.Services.Locks.RemoveWithinAsync(path, context.Aborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
