using Microsoft.AspNetCore.Http;
using RclonePool.Server.WebDav.Locking;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>MKCOL: creates an empty collection (a directory object that survives while empty). No body is understood.</summary>
internal sealed class MkcolHandler : IMethodHandler
{
    public async Task HandleAsync(DavContext context)
    {
        if (context.HasBody)
        {
            throw new DavException(StatusCodes.Status415UnsupportedMediaType, "MKCOL with a request body is not supported.");
        }

        var path = context.Path;
        var entry = await context.StatAsync(path);
        if (entry is not null)
        {
            context.Response.Headers.Allow = OptionsHandler.AllowFor(entry);
            throw new DavException(StatusCodes.Status405MethodNotAllowed, $"{path} already exists.");
        }

        var parent = await context.StatAsync(path.Parent);
        if (parent is not { IsDirectory: true })
        {
            throw new DavException(StatusCodes.Status409Conflict, $"The parent collection {path.Parent} does not exist; create it first.");
        }

        await LockGuard.CheckAsync(context, null, LockRequirement.Resource(path.Parent), LockRequirement.Resource(path));
        await context.Pool.MkdirAsync(path, context.Aborted);
        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.ContentLength = 0;
    }
}
