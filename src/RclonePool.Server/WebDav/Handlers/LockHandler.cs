using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using RclonePool.Core.Pool;
using RclonePool.Server.WebDav.Http;
using RclonePool.Server.WebDav.Locking;
using RclonePool.Server.WebDav.Xml;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>
/// LOCK: takes an exclusive or shared write lock (Depth 0 or infinity), or with an empty body refreshes the lock whose
/// token the If header submits. Locking an unmapped URL creates an empty file (RFC 4918 section 7.3) and answers 201.
/// Conflicts get 423 with <c>no-conflicting-lock</c>.
/// </summary>
internal sealed class LockHandler : IMethodHandler
{
    public async Task HandleAsync(DavContext context)
    {
        var options = context.Services.Options;
        var timeout = DavHeaders.Timeout(context.Request, options.DefaultLockTimeout, options.MaxLockTimeout);
        var body = await DavXml.ReadBodyAsync(context.Request, options.MaxXmlBodySize, context.Aborted);
        if (body is null)
        {
            await RefreshAsync(context, timeout);
            return;
        }

        var (scope, owner) = ReadLockInfo(body);
        var depth = DavHeaders.Depth(context.Request, Depth.Infinity);
        if (depth == Depth.One)
        {
            throw DavException.BadRequest("LOCK takes Depth: 0 or infinity.");
        }

        var path = context.Path;
        var entry = await context.StatAsync(path);
        if (entry is null)
        {
            var parent = await context.StatAsync(path.Parent);
            if (parent is not { IsDirectory: true })
            {
                throw new DavException(StatusCodes.Status409Conflict, $"The parent collection {path.Parent} does not exist.");
            }

            await LockGuard.CheckAsync(context, null, LockRequirement.Resource(path.Parent));
        }
        else
        {
            await LockGuard.CheckAsync(context, entry);
        }

        var locks = context.Services.Locks;
        var (created, conflict) = await locks.TryLockAsync(path, scope, depth == Depth.Infinity, owner, timeout, context.Aborted);
        if (created is null)
        {
            throw new DavException(StatusCodes.Status423Locked, $"{path} is already locked ({conflict!.Scope}) by another lock.", "no-conflicting-lock", [context.Href(conflict.Root, false)]);
        }

        if (entry is null)
        {
            try
            {
                await context.Pool.PutAsync(path, Stream.Null, 0, new PutOptions { Overwrite = false }, context.Aborted);
            }
            catch
            {
                await locks.UnlockAsync(created.Token, path, CancellationToken.None);
                throw;
            }
        }

        context.Response.Headers["Lock-Token"] = "<" + created.Token + ">";
        await WriteLockAsync(context, created, entry is null ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task RefreshAsync(DavContext context, TimeSpan timeout)
    {
        var header = LockGuard.ParseHeader(context.Request)
            ?? throw DavException.BadRequest("A LOCK without a body refreshes a lock, and needs an If header naming its token.");
        if (await context.StatAsync(context.Path) is null)
        {
            throw new DavException(StatusCodes.Status404NotFound, $"{context.Path} does not exist.");
        }

        ActiveLock? refreshed = null;
        foreach (var token in header.SubmittedTokens.Distinct())
        {
            refreshed = await context.Services.Locks.RefreshAsync(token, context.Path, timeout, context.Aborted) ?? refreshed;
        }

        if (refreshed is null)
        {
            throw new DavException(StatusCodes.Status412PreconditionFailed, "The If header names no lock that applies to this resource.", "lock-token-matches-request-uri");
        }

        await WriteLockAsync(context, refreshed, StatusCodes.Status200OK);
    }

    private static (LockScope Scope, string? Owner) ReadLockInfo(XDocument body)
    {
        var root = DavXml.RequireRoot(body, "lockinfo");
        var scopeElement = root.Element(DavXml.Dav + "lockscope")?.Elements().FirstOrDefault()
            ?? throw DavException.BadRequest("The lockinfo has no lockscope.");
        var scope = scopeElement.Name == DavXml.Dav + "exclusive" ? LockScope.Exclusive
            : scopeElement.Name == DavXml.Dav + "shared" ? LockScope.Shared
            : throw DavException.BadRequest($"The lock scope {scopeElement.Name} is not exclusive or shared.");

        var type = root.Element(DavXml.Dav + "locktype")?.Elements().FirstOrDefault();
        if (type is null || type.Name != DavXml.Dav + "write")
        {
            throw DavException.BadRequest("Only write locks exist (locktype must hold DAV:write).");
        }

        var owner = root.Element(DavXml.Dav + "owner");
        return (scope, owner is null ? null : XmlFragment.Serialize(owner));
    }

    private static Task WriteLockAsync(DavContext context, ActiveLock held, int status) =>
        XmlResponse.WriteAsync(context.Response, status, writer =>
        {
            writer.WriteStartElement(DavXml.Prefix, "prop", DavXml.Namespace);
            LockXml.WriteLockDiscovery(writer, [held], p => context.Href(p, false), context.Services.Time.GetUtcNow());
            writer.WriteEndElement();
        }, context.Aborted);
}
