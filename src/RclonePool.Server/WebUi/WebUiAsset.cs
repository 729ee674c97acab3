using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace RclonePool.Server.WebUi;

/// <summary>
/// One file of the web UI, held in memory with its gzip and Brotli forms (compressed once, at start) and a strong
/// ETag over its bytes. The UI is a few tens of kilobytes, so memory is not a concern.
/// </summary>
internal sealed class WebUiAsset
{
    private const int CompressWhenLargerThan = 512;

    public WebUiAsset(string name, string contentType, byte[] content)
    {
        Name = name;
        ContentType = contentType;
        Identity = content;
        ETag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content).AsSpan(0, 12)) + "\"";
        if (content.Length > CompressWhenLargerThan && IsText(contentType))
        {
            Brotli = Shrunk(Compress(content, s => new BrotliStream(s, CompressionLevel.SmallestSize, leaveOpen: true)), content);
            Gzip = Shrunk(Compress(content, s => new GZipStream(s, CompressionLevel.SmallestSize, leaveOpen: true)), content);
        }
    }

    /// <summary>The path under <see cref="WebUiOptions.AssetPrefix"/>, such as <c>js/app.js</c>.</summary>
    public string Name { get; }

    public string ContentType { get; }

    public string ETag { get; }

    public byte[] Identity { get; }

    public byte[]? Brotli { get; }

    public byte[]? Gzip { get; }

    /// <summary>The best form the client accepts: Brotli, then gzip, then the bytes as they are.</summary>
    public (byte[] Body, string? Encoding) Select(string acceptEncoding)
    {
        if (Brotli is not null && Accepts(acceptEncoding, "br"))
        {
            return (Brotli, "br");
        }

        if (Gzip is not null && Accepts(acceptEncoding, "gzip"))
        {
            return (Gzip, "gzip");
        }

        return (Identity, null);
    }

    private static bool Accepts(string acceptEncoding, string coding)
    {
        if (!StringWithQualityHeaderValue.TryParseList(acceptEncoding.Split(','), out var codings))
        {
            return false;
        }

        // "br;q=0" refuses it; any other weight accepts.
        return codings.Any(c => c.Value.Equals(coding, StringComparison.OrdinalIgnoreCase) && (c.Quality is null or > 0));
    }

    private static bool IsText(string contentType) =>
        contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.Contains("javascript", StringComparison.Ordinal)
        || contentType.Contains("json", StringComparison.Ordinal) || contentType.StartsWith("image/svg", StringComparison.Ordinal);

    private static byte[] Compress(byte[] content, Func<Stream, Stream> encoder)
    {
        using var output = new MemoryStream();
        using (var stream = encoder(output))
        {
            stream.Write(content);
        }

        return output.ToArray();
    }

    private static byte[]? Shrunk(byte[] compressed, byte[] original) => compressed.Length < original.Length ? compressed : null;
}
