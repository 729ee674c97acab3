using System.IO.Compression;
using System.Text;
using RclonePool.Server.WebUi;

namespace RclonePool.Tests.Unit.WebUi;

public sealed class WebUiAssetTests
{
    private static readonly byte[] Script = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("export const answer = 42;\n", 200)));

    [Theory]
    [InlineData("gzip, deflate, br, zstd", "br")]
    [InlineData("gzip", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("br;q=0.5", "br")]
    [InlineData("BR", "br")]
    [InlineData("gzip;q=0, br;q=0", null)]
    [InlineData("", null)]
    [InlineData("identity", null)]
    public void The_encoding_is_the_best_the_client_accepts(string acceptEncoding, string? expected)
    {
        var asset = new WebUiAsset("js/app.js", "text/javascript; charset=utf-8", Script);

        var (body, encoding) = asset.Select(acceptEncoding);

        Assert.Equal(expected, encoding);
        Assert.Equal(Script, Decode(body, encoding));
    }

    [Fact]
    public void Small_and_binary_files_are_sent_as_they_are()
    {
        Assert.Null(new WebUiAsset("tiny.js", "text/javascript; charset=utf-8", [1, 2, 3]).Select("br, gzip").Encoding);
        Assert.Null(new WebUiAsset("icon.png", "image/png", new byte[4096]).Select("br, gzip").Encoding);
    }

    [Fact]
    public void The_etag_changes_with_the_bytes_and_only_with_them()
    {
        var a = new WebUiAsset("a.js", "text/javascript", Script);
        var b = new WebUiAsset("b.js", "text/javascript", Script);
        var c = new WebUiAsset("a.js", "text/javascript", [.. Script, (byte)'\n']);

        Assert.Equal(a.ETag, b.ETag);
        Assert.NotEqual(a.ETag, c.ETag);
        Assert.StartsWith("\"", a.ETag, StringComparison.Ordinal);
    }

    private static byte[] Decode(byte[] body, string? encoding)
    {
        if (encoding is null)
        {
            return body;
        }

        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }
}
