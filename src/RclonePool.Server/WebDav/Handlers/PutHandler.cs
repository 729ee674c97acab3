using Microsoft.AspNetCore.Http;
using RclonePool.Core.Pool;
using RclonePool.Server.WebDav.Http;
using RclonePool.Server.WebDav.Locking;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>
/// PUT: streams the body into the pool (the pool keeps the old version until the new one is durable, and refuses a
/// body it has no room for). The parent collection must exist; a partial PUT (Content-Range) is refused.
/// </summary>
internal sealed class PutHandler : IMethodHandler
{
    public async Task HandleAsync(DavContext context)
    {
        var request = context.Request;

        // The body of a small file is asked for now, so that it travels while the checks below run (EarlyContinue).
        await using var early = EarlyContinue.TryStart(request, context.Aborted);
        if (request.Headers.ContentRange.Count > 0)
        {
            throw DavException.BadRequest("PUT with Content-Range (a partial update) is not supported; send the whole file.");
        }

        var path = context.Path;
        if (path.IsRoot)
        {
            context.Response.Headers.Allow = OptionsHandler.AllowFor(new PoolEntry { Path = path, Kind = Core.Manifests.EntryKind.Directory });
            throw new DavException(StatusCodes.Status405MethodNotAllowed, "PUT cannot replace the root collection.");
        }

        var entry = await context.StatAsync(path);
        if (entry is { IsDirectory: true })
        {
            context.Response.Headers.Allow = OptionsHandler.AllowFor(entry);
            throw new DavException(StatusCodes.Status405MethodNotAllowed, $"{path} is a collection; PUT cannot replace it.");
        }

        var parent = await context.StatAsync(path.Parent);
        if (parent is not { IsDirectory: true })
        {
            throw new DavException(StatusCodes.Status409Conflict, $"The parent collection {path.Parent} does not exist; create it with MKCOL first.");
        }

        if (ConditionalRequest.Evaluate(request, entry) is { } failed)
        {
            throw new DavException(failed, "A precondition (If-Match, If-None-Match, If-Unmodified-Since) does not hold.");
        }

        await LockGuard.CheckAsync(context, entry, entry is null
            ? [LockRequirement.Resource(path.Parent), LockRequirement.Resource(path)]
            : [LockRequirement.Resource(path)]);

        var length = request.ContentLength ?? -1;
        if (length > 0 && await context.Pool.FreeBytesAsync(context.Aborted) is { } free && length > free)
        {
            throw new DavException(StatusCodes.Status507InsufficientStorage, $"The pool has {free} bytes free; this PUT needs {length}.");
        }

        var options = new PutOptions { Overwrite = entry is not null || request.Headers.IfNoneMatch.Count == 0, ParentIsDirectory = true };
        var stored = await context.Pool.PutAsync(path, early?.Body ?? request.Body, length, options, context.Aborted);

        var response = context.Response;
        response.StatusCode = entry is null ? StatusCodes.Status201Created : StatusCodes.Status204NoContent;
        response.Headers.ETag = stored.ETag;
        response.ContentLength = 0;
    }
}
