using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using RclonePool.Core.IO;
using RclonePool.Core.Pool;
using RclonePool.Server.Transport;
using RclonePool.Server.WebDav.Http;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>
/// GET and HEAD: validators, conditional requests, one range (206), a bounded set of ranges (multipart/byteranges) or
/// the whole file, streamed from the pool with the client's cancellation. A collection gets a plain HTML listing.
/// </summary>
internal sealed class GetHandler : IMethodHandler
{
    private const int CopyBlock = 256 * 1024;

    /// <summary>
    /// Bytes written into the response pipe before it is flushed: the server's response buffer (1 MiB, PoolServer). Each
    /// flush hands the pipe to the socket's sender on another thread; flushing every 256 KiB block cost about seven
    /// futex calls per block (docs/benchmarks.md, branch davget2). Memory stays one response buffer per connection.
    /// </summary>
    private const int FlushBytes = 1024 * 1024;

    /// <summary>
    /// A body at least this long is streamed with the connection's sender on a thread of its own while the process
    /// streams few (<see cref="IFileRegionSink.StreamFromFiles"/>); a shorter one (a seek's range) is sent inline, as
    /// a thread switch would only add to its time to first byte.
    /// </summary>
    private const long StreamBytes = 4 * FlushBytes;

    public async Task HandleAsync(DavContext context)
    {
        var entry = await context.StatAsync(context.Path)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{context.Path} does not exist.");
        var request = context.Request;
        var response = context.Response;
        var head = HttpMethods.IsHead(request.Method);

        response.Headers.ETag = entry.ETag;
        response.Headers.LastModified = ConditionalRequest.LastModified(entry).ToString("R", CultureInfo.InvariantCulture);
        var precondition = ConditionalRequest.Evaluate(request, entry);
        if (precondition is { } failed)
        {
            response.StatusCode = failed;
            return;
        }

        if (entry.IsDirectory)
        {
            await CollectionPage.WriteAsync(context, entry, head);
            return;
        }

        var length = entry.Size;
        var contentType = context.Services.ContentTypeOf(entry.Path.Name);
        response.Headers.AcceptRanges = "bytes";

        var ranges = request.Headers.Range.Count > 0 && ConditionalRequest.RangeStillValid(request, entry)
            ? RangeHeader.Parse(request.Headers.Range.ToString(), length)
            : null;
        if (ranges is { Count: 0 })
        {
            response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
            response.Headers.ContentRange = $"bytes */{length}";
            response.ContentLength = 0;
            return;
        }

        if (ranges is not null)
        {
            ranges = RangeHeader.Coalesce(ranges);
            if (ranges.Count == 1)
            {
                var range = ranges[0];
                response.StatusCode = StatusCodes.Status206PartialContent;
                response.Headers.ContentRange = range.ContentRange(length);
                response.ContentType = contentType;
                response.ContentLength = range.Length;
                if (!head)
                {
                    await CopyAsync(context, range.Offset, range.Length, download: range.Offset == 0 && range.Length == length);
                }

                return;
            }

            if (ranges.Count <= context.Services.Options.MaxRanges)
            {
                await WriteMultipartAsync(context, ranges, length, contentType, head);
                return;
            }
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.ContentLength = length;
        if (!head)
        {
            await CopyAsync(context, 0, length, download: true);
        }
    }

    private static async Task WriteMultipartAsync(DavContext context, List<ByteRange> ranges, long length, string contentType, bool head)
    {
        var boundary = Guid.NewGuid().ToString("N");
        var headers = ranges
            .Select((r, i) => Encoding.ASCII.GetBytes(
                $"{(i == 0 ? string.Empty : "\r\n")}--{boundary}\r\nContent-Type: {contentType}\r\nContent-Range: {r.ContentRange(length)}\r\n\r\n"))
            .ToArray();
        var trailer = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");

        var response = context.Response;
        response.StatusCode = StatusCodes.Status206PartialContent;
        response.ContentType = $"multipart/byteranges; boundary={boundary}";
        response.ContentLength = headers.Sum(h => (long)h.Length) + ranges.Sum(r => r.Length) + trailer.Length;
        if (head)
        {
            return;
        }

        for (var i = 0; i < ranges.Count; i++)
        {
            await response.Body.WriteAsync(headers[i], context.Aborted);
            await CopyAsync(context, ranges[i].Offset, ranges[i].Length, download: false);
        }

        await response.Body.WriteAsync(trailer, context.Aborted);
    }

    /// <summary>
    /// Streams <paramref name="count"/> bytes from the pool straight into the response pipe, flushed after the first
    /// block (time to first byte), then every <see cref="FlushBytes"/>, and at the end. A whole-file GET (200, or
    /// one range covering the whole file) is a <paramref name="download"/>: PRE_DOWNLOAD / POST_DOWNLOAD are published
    /// for it; ranged reads (seeking, streaming players) publish none. On a plain HTTP/1.x connection, a whole block the
    /// read took from a local chunk file (and checked in the response's memory) is sent from that file with sendfile
    /// (<see cref="IFileRegionSink"/>, docs/read-path.md).
    /// </summary>
    private static async Task CopyAsync(DavContext context, long offset, long count, bool download)
    {
        await using var source = download
            ? await context.Pool.OpenDownloadAsync(context.Path, context.Aborted)
            : await context.Pool.OpenReadAsync(context.Path, offset, count, context.Aborted);
        var writer = context.Response.BodyWriter;
        var files = source as IFileRegionSource;
        var sink = files is null || !HttpProtocol.IsHttp11(context.Request.Protocol) && !HttpProtocol.IsHttp10(context.Request.Protocol)
            ? null
            : context.Http.Features.Get<IFileRegionSink>();
        using var streaming = count >= StreamBytes ? sink?.StreamFromFiles() : null;
        var remaining = count;
        var unflushed = 0;
        while (remaining > 0)
        {
            var memory = writer.GetMemory(CopyBlock);
            if (memory.Length > remaining)
            {
                memory = memory[..(int)remaining];
            }

            var read = await source.ReadAsync(memory, context.Aborted);
            if (read == 0)
            {
                throw new IOException($"{context.Path} ended {remaining} bytes early while being served.");
            }

            writer.Advance(read);
            if (sink is not null && files!.LastRegion is { } region && region.Length == read)
            {
                sink.TrySendFromFile(memory[..read], region);
            }

            remaining -= read;
            unflushed += read;
            if (unflushed < FlushBytes && remaining > 0 && remaining + read < count)
            {
                continue;
            }

            unflushed = 0;
            var flushed = await writer.FlushAsync(context.Aborted);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return;
            }
        }
    }
}
