using System.Xml;
using Microsoft.AspNetCore.Http;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>
/// Streams a 207 Multi-Status body: the XML is written into a small buffer that is sent whenever it fills, so a
/// listing of any size is never held whole in memory.
/// </summary>
internal sealed class MultiStatusWriter : IDisposable
{
    private const int FlushThreshold = 32 * 1024;

    private readonly HttpResponse _response;
    private readonly MemoryStream _buffer = new();
    private readonly bool _sendBody;

    private MultiStatusWriter(HttpResponse response)
    {
        _response = response;
        _sendBody = !HttpMethods.IsHead(response.HttpContext.Request.Method);
        Xml = XmlWriter.Create(_buffer, DavXml.WriterSettings);
        Xml.WriteStartDocument();
        Xml.WriteStartElement(DavXml.Prefix, "multistatus", DavXml.Namespace);
    }

    public XmlWriter Xml { get; }

    public static MultiStatusWriter Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status207MultiStatus;
        response.ContentType = DavXml.ContentType;
        return new MultiStatusWriter(response);
    }

    public void BeginResponse(string href)
    {
        Xml.WriteStartElement(DavXml.Prefix, "response", DavXml.Namespace);
        Xml.WriteElementString(DavXml.Prefix, "href", DavXml.Namespace, href);
    }

    public void EndResponse() => Xml.WriteEndElement();

    public void WriteStatus(int status) => Xml.WriteElementString(DavXml.Prefix, "status", DavXml.Namespace, XmlResponse.StatusLine(status));

    /// <summary>Sends what is buffered once it passes the threshold.</summary>
    public ValueTask FlushIfFullAsync(CancellationToken cancellationToken)
    {
        Xml.Flush();
        return _buffer.Length >= FlushThreshold ? new ValueTask(SendAsync(cancellationToken)) : ValueTask.CompletedTask;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        Xml.WriteEndElement();
        Xml.WriteEndDocument();
        Xml.Flush();
        if (!_response.HasStarted && _buffer.Length < FlushThreshold)
        {
            _response.ContentLength = _sendBody ? _buffer.Length : null;
        }

        await SendAsync(cancellationToken);
    }

    public void Dispose()
    {
        Xml.Dispose();
        _buffer.Dispose();
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        if (_sendBody && _buffer.Length > 0)
        {
            await _response.Body.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), cancellationToken);
        }

        _buffer.SetLength(0);
    }
}
