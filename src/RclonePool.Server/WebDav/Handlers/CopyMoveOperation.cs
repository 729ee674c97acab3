using Microsoft.AspNetCore.Http;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server.WebDav.Http;
using RclonePool.Server.WebDav.Locking;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>
/// What COPY and MOVE share: Destination, Overwrite and Depth rules. The destination must be on this
/// server (502 otherwise), not inside the source or above it (403), below an existing collection (409); an existing
/// destination is replaced only with Overwrite: T (412 otherwise). MOVE renames by rewriting manifests; locks stay
/// behind with the source's name and are dropped.
/// </summary>
internal static class CopyMoveOperation
{
    public static async Task RunAsync(DavContext context, bool move)
    {
        var source = context.Path;
        var entry = await context.StatAsync(source)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{source} does not exist.");

        var depth = DavHeaders.Depth(context.Request, Depth.Infinity);
        if (entry.IsDirectory && (depth == Depth.One || (move && depth != Depth.Infinity)))
        {
            throw DavException.BadRequest(move
                ? "MOVE of a collection needs Depth: infinity (or no Depth header)."
                : "COPY of a collection takes Depth: 0 or infinity.");
        }

        var destination = ResolveDestination(context);
        var overwrite = DavHeaders.Overwrite(context.Request);
        if (destination == source)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "The destination is the source itself.");
        }

        if (source.Contains(destination))
        {
            throw new DavException(StatusCodes.Status403Forbidden, $"The destination {destination} lies inside the source {source}.");
        }

        if (destination.Contains(source))
        {
            throw new DavException(StatusCodes.Status403Forbidden, $"The destination {destination} contains the source {source}.");
        }

        var parent = await context.StatAsync(destination.Parent);
        if (parent is not { IsDirectory: true })
        {
            throw new DavException(StatusCodes.Status409Conflict, $"The destination's parent collection {destination.Parent} does not exist.");
        }

        var existing = await context.StatAsync(destination);
        if (existing is not null && !overwrite)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, $"{destination} exists and Overwrite is F.");
        }

        if (ConditionalRequest.Evaluate(context.Request, entry) is { } failed)
        {
            throw new DavException(failed, "A precondition (If-Match, If-Unmodified-Since) does not hold.");
        }

        var requirements = new List<LockRequirement> { LockRequirement.Resource(destination.Parent), LockRequirement.Resource(destination) };
        if (existing is not null)
        {
            requirements.Add(LockRequirement.Tree(destination));
        }

        if (move)
        {
            requirements.Add(LockRequirement.Resource(source.Parent));
            requirements.Add(LockRequirement.Tree(source));
        }

        await LockGuard.CheckAsync(context, entry, [.. requirements]);
        await TransferAsync(context, entry, destination, existing, move, depth);

        context.Response.StatusCode = existing is null ? StatusCodes.Status201Created : StatusCodes.Status204NoContent;
        context.Response.ContentLength = 0;
    }

    private static PoolPath ResolveDestination(DavContext context)
    {
        var header = context.Request.Headers["Destination"].ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw DavException.BadRequest($"{context.Request.Method} needs a Destination header.");
        }

        RequestTarget? resolved;
        try
        {
            resolved = context.ResolveUri(header);
        }
        catch (DavException e) when (e.Status == StatusCodes.Status404NotFound)
        {
            throw new DavException(StatusCodes.Status502BadGateway, $"The destination '{header}' is outside this server's pool.");
        }

        return resolved?.Path
            ?? throw new DavException(StatusCodes.Status502BadGateway, $"The destination '{header}' is on another server; only this server's paths are accepted.");
    }

    private static async Task TransferAsync(DavContext context, PoolEntry entry, PoolPath destination, PoolEntry? existing, bool move, Depth depth)
    {
        var pool = context.Pool;
        var ct = context.Aborted;
        var locks = context.Services.Locks;

        // A file replacing a file is one atomic overwrite in the pool; anything else replacing a collection (or a
        // collection replacing a file) deletes the destination first, as RFC 4918 prescribes for Overwrite: T.
        var replaceInPlace = existing is not null && !existing.IsDirectory && !entry.IsDirectory;
        if (existing is not null && !replaceInPlace)
        {
            await pool.DeleteAsync(destination, recursive: existing.IsDirectory, ct);
        }

        if (existing is not null)
        {
            await locks.RemoveWithinAsync(destination, ct);
        }

        if (move)
        {
            await pool.MoveAsync(entry.Path, destination, replaceInPlace, ct);
            await locks.RemoveWithinAsync(entry.Path, ct);
        }
        else if (entry.IsDirectory && depth == Depth.Zero)
        {
            await pool.MkdirAsync(destination, ct);
            if (entry.Properties.Count > 0)
            {
                await pool.SetPropertiesAsync(destination, entry.Properties.ToDictionary(p => p.Key, p => (string?)p.Value), ct);
            }
        }
        else
        {
            await pool.CopyAsync(entry.Path, destination, replaceInPlace, ct);
        }
    }
}
