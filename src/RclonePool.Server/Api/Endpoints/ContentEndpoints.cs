using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;
using RclonePool.Core.Errors;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server.WebDav.Http;

namespace RclonePool.Server.Api.Endpoints;

/// <summary>
/// <c>GET content/{path}</c>: a file's bytes, verified as they stream from the remotes, with <c>ETag</c>,
/// <c>Last-Modified</c>, conditional requests and one byte range (206, or 416 with the length) as WebDAV's GET
/// parses them; <c>?download=1</c> adds <c>Content-Disposition: attachment</c>.
/// </summary>
internal static class ContentEndpoints
{
    private const int CopyBlock = 256 * 1024;
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void Map(RouteGroupBuilder api) =>
        api.MapMethods("/content/{**path}", [HttpMethods.Get, HttpMethods.Head], GetAsync)
            .WithName("GetContent").WithSummary("Download a file's bytes (Range, ETag, ?download=1)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status206PartialContent, contentType: "application/octet-stream")
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status416RangeNotSatisfiable);

    private static async Task<IResult> GetAsync(HttpContext http, PoolApiContext api, string? path, string? download)
    {
        var target = ApiRequest.RoutePath(path);
        var attachment = ApiRequest.Flag(download, "download");
        var entry = await api.Files.StatAsync(target, http.RequestAborted) ?? throw PoolErrors.NotFound(target);
        if (entry.IsDirectory)
        {
            throw PoolErrors.IsDirectory(target);
        }

        var request = http.Request;
        var response = http.Response;
        response.Headers.ETag = entry.ETag;
        response.Headers.LastModified = ConditionalRequest.LastModified(entry).ToString("R", CultureInfo.InvariantCulture);
        response.Headers.AcceptRanges = "bytes";
        if (ConditionalRequest.Evaluate(request, entry) is { } failed)
        {
            return TypedResults.StatusCode(failed);
        }

        if (attachment)
        {
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName(entry.Path.Name);
            response.Headers.ContentDisposition = disposition.ToString();
        }

        var length = entry.Size;
        var ranges = request.Headers.Range.Count > 0 && ConditionalRequest.RangeStillValid(request, entry)
            ? RangeHeader.Parse(request.Headers.Range.ToString(), length)
            : null;
        if (ranges is { Count: 0 })
        {
            response.Headers.ContentRange = $"bytes */{length}";
            throw new ApiException(StatusCodes.Status416RangeNotSatisfiable, $"No byte of the range '{request.Headers.Range}' lies within {target}, which is {length} bytes long.");
        }

        response.ContentType = ContentTypes.TryGetContentType(entry.Path.Name, out var type) ? type : "application/octet-stream";
        var single = ranges is null ? null : RangeHeader.Coalesce(ranges) is { Count: 1 } one ? one[0] : (ByteRange?)null;
        var (offset, count) = single is { } range ? (range.Offset, range.Length) : (0L, length);
        if (single is { } partial)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = partial.ContentRange(length);
        }

        response.ContentLength = count;
        if (!HttpMethods.IsHead(request.Method))
        {
            await CopyAsync(api.Files, target, offset, count, whole: offset == 0 && count == length, response, http.RequestAborted);
        }

        return Results.Empty;
    }

    /// <summary>Streams the bytes from the pool into the response pipe, a block at a time; a whole file is read as a download (its hook points fire).</summary>
    private static async Task CopyAsync(IPoolFileSystem pool, PoolPath path, long offset, long count, bool whole, HttpResponse response, CancellationToken cancellationToken)
    {
        await using var source = whole
            ? await pool.OpenDownloadAsync(path, cancellationToken)
            : await pool.OpenReadAsync(path, offset, count, cancellationToken);
        var writer = response.BodyWriter;
        var remaining = count;
        while (remaining > 0)
        {
            var memory = writer.GetMemory(CopyBlock);
            if (memory.Length > remaining)
            {
                memory = memory[..(int)remaining];
            }

            var read = await source.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"{path} ended {remaining} bytes early while being served.");
            }

            writer.Advance(read);
            remaining -= read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return;
            }
        }
    }
}
