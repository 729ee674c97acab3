using System.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>Small XML responses built in memory and sent with a Content-Length (errors, LOCK results, short multistatus).</summary>
internal static class XmlResponse
{
    public static async Task WriteAsync(HttpResponse response, int status, Action<XmlWriter> writeRoot, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, DavXml.WriterSettings))
        {
            writer.WriteStartDocument();
            writeRoot(writer);
            writer.WriteEndDocument();
        }

        response.StatusCode = status;
        response.ContentType = DavXml.ContentType;
        response.ContentLength = buffer.Length;
        if (!HttpMethods.IsHead(response.HttpContext.Request.Method))
        {
            await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken);
        }
    }

    /// <summary>An RFC 4918 error body: <c>&lt;D:error&gt;&lt;D:condition&gt;hrefs&lt;/D:condition&gt;&lt;/D:error&gt;</c>.</summary>
    public static Task WriteErrorAsync(HttpResponse response, int status, string condition, IReadOnlyList<string> hrefs, CancellationToken cancellationToken) =>
        WriteAsync(response, status, writer =>
        {
            writer.WriteStartElement(DavXml.Prefix, "error", DavXml.Namespace);
            writer.WriteStartElement(DavXml.Prefix, condition, DavXml.Namespace);
            foreach (var href in hrefs)
            {
                writer.WriteElementString(DavXml.Prefix, "href", DavXml.Namespace, href);
            }

            writer.WriteEndElement();
            writer.WriteEndElement();
        }, cancellationToken);

    /// <summary>The status line form used inside multistatus bodies, such as <c>HTTP/1.1 404 Not Found</c>.</summary>
    public static string StatusLine(int status) => $"HTTP/1.1 {status} {ReasonPhrases.GetReasonPhrase(status)}";
}
