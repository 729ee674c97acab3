using Microsoft.AspNetCore.Http;
using RclonePool.Server.WebDav.Http;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>UNLOCK: removes the lock named by Lock-Token, which must apply to the request URI (409 otherwise).</summary>
internal sealed class UnlockHandler : IMethodHandler
{
    public async Task HandleAsync(DavContext context)
    {
        var token = DavHeaders.LockToken(context.Request);
        if (!await context.Services.Locks.UnlockAsync(token, context.Path, context.Aborted))
        {
            throw new DavException(StatusCodes.Status409Conflict, $"No lock with token {token} applies to {context.Path}.", "lock-token-matches-request-uri");
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
