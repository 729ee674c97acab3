using System.Xml;
using Microsoft.AspNetCore.Http;
using RclonePool.Core.Pool;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>
/// Streams the 207 Multi-Status body of a PROPFIND: each entry's DAV:response is written into one rented buffer (by
/// <see cref="PropFindUtf8"/>, or by <see cref="PropFindXml"/> for entries with dead properties or locks), which is
/// sent whenever it passes <see cref="FlushThreshold"/>, so a listing of any size is never held whole in memory. A body
/// that fits is sent with a Content-Length.
/// </summary>
internal sealed class PropFindWriter : IDisposable
{
    private const int FlushThreshold = 64 * 1024;

    private static readonly XmlWriterSettings FragmentSettings = new()
    {
        Encoding = DavXml.Utf8,
        ConformanceLevel = ConformanceLevel.Fragment,
        OmitXmlDeclaration = true,
        Indent = false,
        CloseOutput = false,
        NewLineHandling = NewLineHandling.None,
    };

    private readonly HttpResponse _response;
    private readonly bool _sendBody;
    private readonly DavContext _context;
    private readonly PropFindRequest _request;
    private readonly long? _freeBytes;
    private readonly PropFindUtf8 _fast;
    private readonly Utf8XmlOutput _output = new(FlushThreshold + (16 * 1024));
    private MemoryStream? _scratch;

    private PropFindWriter(DavContext context, PropFindRequest request, long? freeBytes)
    {
        _context = context;
        _response = context.Response;
        _sendBody = !HttpMethods.IsHead(context.Request.Method);
        _request = request;
        _freeBytes = freeBytes;
        _fast = new PropFindUtf8(context, request, freeBytes);
        _output.WriteRaw("""<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:">"""u8);
    }

    /// <summary>Sets the 207 status and starts the body; call after the request's locks are read.</summary>
    public static PropFindWriter Start(DavContext context, PropFindRequest request, long? freeBytes)
    {
        context.Response.StatusCode = StatusCodes.Status207MultiStatus;
        context.Response.ContentType = DavXml.ContentType;
        return new PropFindWriter(context, request, freeBytes);
    }

    /// <summary>Appends the DAV:response of <paramref name="entry"/>.</summary>
    public void Write(PoolEntry entry)
    {
        if (_fast.TryWrite(_output, entry))
        {
            return;
        }

        // A fragment of its own: the response element declares the D: prefix again, which changes nothing it means.
        _scratch ??= new MemoryStream();
        using (var xml = XmlWriter.Create(_scratch, FragmentSettings))
        {
            PropFindXml.WriteResponse(xml, _context, entry, _request, _freeBytes);
        }

        _output.WriteRaw(_scratch.GetBuffer().AsSpan(0, (int)_scratch.Length));
        _scratch.SetLength(0);
    }

    /// <summary>Sends what is buffered once it passes the threshold.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancellationToken) =>
        _output.Length >= FlushThreshold ? new ValueTask(SendAsync(cancellationToken)) : ValueTask.CompletedTask;

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        _output.WriteRaw("</D:multistatus>"u8);
        if (!_response.HasStarted)
        {
            _response.ContentLength = _sendBody ? _output.Length : null;
        }

        await SendAsync(cancellationToken);
    }

    public void Dispose()
    {
        _output.Dispose();
        _scratch?.Dispose();
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        if (_sendBody && _output.Length > 0)
        {
            await _response.Body.WriteAsync(_output.Written, cancellationToken);
        }

        _output.Reset();
    }
}
