using Microsoft.AspNetCore.Http;
using RclonePool.Core.Pool;
using RclonePool.Server.WebDav.Http;
using RclonePool.Server.WebDav.Xml;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>
/// PROPFIND with Depth 0 or 1 (Depth infinity on a collection is refused with <c>propfind-finite-depth</c>): live
/// properties from the entry, dead properties from the pool, 404 propstats for the rest. The multistatus is streamed
/// (<see cref="PropFindWriter"/>).
/// </summary>
internal sealed class PropFindHandler : IMethodHandler
{
    public async Task HandleAsync(DavContext context)
    {
        var depth = DavHeaders.Depth(context.Request, Depth.Infinity);
        var entry = await context.StatAsync(context.Path)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{context.Path} does not exist.");
        if (entry.IsDirectory && depth == Depth.Infinity)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "PROPFIND with Depth: infinity is not supported; use Depth: 1 and walk down.", "propfind-finite-depth");
        }

        var body = await DavXml.ReadBodyAsync(context.Request, context.Services.Options.MaxXmlBodySize, context.Aborted);
        var request = PropFindRequest.From(body);
        long? freeBytes = null;
        if (request.Names.Contains(LiveProperties.QuotaAvailable))
        {
            freeBytes = await context.Pool.FreeBytesAsync(context.Aborted);
        }

        await context.LocksAsync(); // for lockdiscovery
        using var writer = PropFindWriter.Start(context, request, freeBytes);
        writer.Write(entry);
        if (entry.IsDirectory && depth == Depth.One)
        {
            await foreach (var child in context.Pool.ListAsync(entry.Path, recursive: false, context.Aborted))
            {
                writer.Write(child);
                await writer.FlushIfFullAsync(context.Aborted);
            }
        }

        await writer.CompleteAsync(context.Aborted);
    }
}
