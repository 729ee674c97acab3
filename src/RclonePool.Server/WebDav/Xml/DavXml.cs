using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>The DAV: namespace, and safe reading of XML request bodies (no DTDs, no external entities, bounded size).</summary>
internal static class DavXml
{
    public const string Namespace = "DAV:";
    public const string Prefix = "D";
    public const string ContentType = "application/xml; charset=utf-8";

    public static readonly XNamespace Dav = Namespace;

    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Reads and parses the request body; null when there is none. A body over <paramref name="maxBytes"/> gets 413,
    /// anything that is not well-formed XML (or uses a DTD) gets 400. Nothing is resolved from outside.
    /// </summary>
    public static async Task<XDocument?> ReadBodyAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return null;
        }

        if (request.ContentLength > maxBytes)
        {
            throw new DavException(StatusCodes.Status413PayloadTooLarge, $"The XML body is {request.ContentLength} bytes; at most {maxBytes} are accepted.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new DavException(StatusCodes.Status413PayloadTooLarge, $"The XML body is larger than {maxBytes} bytes, the most accepted.");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return null;
        }

        buffer.Position = 0;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            MaxCharactersInDocument = maxBytes,
            CloseInput = false,
        };

        try
        {
            using var reader = XmlReader.Create(buffer, settings);
            return XDocument.Load(reader, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException e)
        {
            throw DavException.BadRequest($"The XML body is not well-formed: {e.Message}");
        }
    }

    /// <summary>The root element, which must be <c>DAV:</c><paramref name="localName"/>; 400 otherwise.</summary>
    public static XElement RequireRoot(XDocument document, string localName)
    {
        var root = document.Root;
        if (root is null || root.Name != Dav + localName)
        {
            throw DavException.BadRequest($"The XML body must be a DAV: {localName} element, not {root?.Name.ToString() ?? "empty"}.");
        }

        return root;
    }

    public static XmlWriterSettings WriterSettings { get; } = new()
    {
        Encoding = Utf8,
        Indent = false,
        CloseOutput = false,
        NewLineHandling = NewLineHandling.None,
    };
}
