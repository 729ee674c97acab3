using Microsoft.AspNetCore.Http;
using RclonePool.Core.Pool;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>OPTIONS: compliance classes 1 and 2, and the methods the target allows.</summary>
internal sealed class OptionsHandler : IMethodHandler
{
    public const string AllMethods = "OPTIONS, GET, HEAD, PUT, DELETE, MKCOL, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK";
    private const string FileMethods = "OPTIONS, GET, HEAD, PUT, DELETE, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK";
    private const string CollectionMethods = "OPTIONS, GET, HEAD, DELETE, COPY, MOVE, PROPFIND, PROPPATCH, LOCK, UNLOCK";
    private const string UnmappedMethods = "OPTIONS, PUT, MKCOL, LOCK";

    /// <summary>The methods that make sense on a target in its current state.</summary>
    public static string AllowFor(PoolEntry? entry) =>
        entry is null ? UnmappedMethods : entry.IsDirectory ? CollectionMethods : FileMethods;

    public static void WriteServerWide(HttpResponse response)
    {
        WriteCommon(response);
        response.Headers.Allow = AllMethods;
    }

    public async Task HandleAsync(DavContext context)
    {
        var entry = await context.StatAsync(context.Path);
        WriteCommon(context.Response);
        context.Response.Headers.Allow = AllowFor(entry);
    }

    private static void WriteCommon(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers["DAV"] = "1, 2";
        response.Headers["MS-Author-Via"] = "DAV";
        response.Headers.AcceptRanges = "bytes";
        response.ContentLength = 0;
    }
}
