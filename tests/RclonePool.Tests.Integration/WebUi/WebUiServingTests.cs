using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Tests.Integration.Auth;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebUi;

/// <summary>
/// The web UI's place in front of WebDAV, over a real pool on rclone: browsers' HTML GETs of directories get the page,
/// its files come from the assembly with validators and compression, and every other request still gets WebDAV.
/// </summary>
public sealed class WebUiServingTests : IAsyncLifetime
{
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("<p>a file that happens to be HTML</p>\n");

    private RealPool _pool = null!;
    private RunningServer _server = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _pool = await RealPool.OpenAsync(remotes: 2);
        await _pool.Pool.MkdirAsync(PoolPath.Parse("/photos"), Ct);
        await _pool.Pool.PutAsync(PoolPath.Parse("/photos/page.html"), new MemoryStream(Content), Content.Length, PutOptions.Default, Ct);
        _server = await PoolServer.StartAsync(_pool.Pool, new ServerOptions { Port = 0 }, null, Ct);
        _client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = _server.Url };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _pool.DisposeAsync();
    }

    [Theory]
    [InlineData("")]
    [InlineData("photos/")]
    [InlineData("photos")]
    public async Task A_browser_navigating_to_a_directory_gets_the_page_with_its_api_and_websocket_bases(string path)
    {
        using var response = await GetAsync(path, BrowserAccept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<meta name=\"rclonepool-api\" content=\"/_rclonepool/api/v1\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"rclonepool-ws\" content=\"/_rclonepool/ws\">", html, StringComparison.Ordinal);
        Assert.Contains("src=\"/_rclonepool/ui/js/app.js\"", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Fact]
    public async Task A_browser_opening_a_file_gets_the_file_not_the_page()
    {
        using var response = await GetAsync("photos/page.html", BrowserAccept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task A_browser_naming_a_path_that_does_not_exist_gets_webdav_404()
    {
        using var response = await GetAsync("nothing/here/", BrowserAccept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("does not exist", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebDAV_clients_still_get_WebDAV_at_the_same_urls()
    {
        using var propfind = new HttpRequestMessage(new HttpMethod("PROPFIND"), "photos/");
        propfind.Headers.Add("Depth", "1");
        using var listing = await _client.SendAsync(propfind, Ct);
        Assert.Equal((HttpStatusCode)207, listing.StatusCode);
        Assert.Contains("page.html", await listing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var plainGet = await GetAsync("photos/", accept: null);
        Assert.DoesNotContain("rclonepool-api", await plainGet.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var fileGet = await GetAsync("photos/page.html", "*/*");
        Assert.Equal(Content, await fileGet.Content.ReadAsByteArrayAsync(Ct));

        using var head = new HttpRequestMessage(HttpMethod.Head, "photos/");
        head.Headers.Accept.ParseAdd(BrowserAccept);
        using var headResponse = await _client.SendAsync(head, Ct);
        Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
    }

    [Theory]
    [InlineData("_rclonepool/ui/js/app.js", "text/javascript")]
    [InlineData("_rclonepool/ui/app.css", "text/css")]
    [InlineData("_rclonepool/ui/icon.svg", "image/svg+xml")]
    public async Task Assets_come_from_the_assembly_with_their_type_an_etag_and_304_when_unchanged(string path, string type)
    {
        using var first = await GetAsync(path, "*/*");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(type, first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", first.Headers.GetValues("X-Content-Type-Options").Single());
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await _client.SendAsync(again, Ct);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Text_assets_are_sent_brotli_or_gzip_compressed_to_clients_that_accept_it_and_decompress_to_the_same_bytes()
    {
        using var plain = await GetAsync("_rclonepool/ui/js/overview.js", "*/*");
        var identity = await plain.Content.ReadAsByteArrayAsync(Ct);
        Assert.Empty(plain.Content.Headers.ContentEncoding);

        foreach (var (coding, decode) in new (string, Func<Stream, Stream>)[]
        {
            ("br", s => new System.IO.Compression.BrotliStream(s, System.IO.Compression.CompressionMode.Decompress)),
            ("gzip", s => new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionMode.Decompress)),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "_rclonepool/ui/js/overview.js");
            request.Headers.AcceptEncoding.ParseAdd(coding);
            using var response = await _client.SendAsync(request, Ct);
            Assert.Equal(coding, response.Content.Headers.ContentEncoding.Single());
            var body = await response.Content.ReadAsByteArrayAsync(Ct);
            Assert.True(body.Length < identity.Length, $"{coding}: {body.Length} bytes is not smaller than {identity.Length}");
            using var decoded = new MemoryStream();
            await using (var stream = decode(new MemoryStream(body)))
            {
                await stream.CopyToAsync(decoded, Ct);
            }

            Assert.Equal(identity, decoded.ToArray());
        }
    }

    [Fact]
    public async Task The_reserved_ui_prefix_never_reaches_the_pool()
    {
        using var missing = await GetAsync("_rclonepool/ui/nope.js", "*/*");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no file nope.js", await missing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var put = await _client.PutAsync("_rclonepool/ui/evil.js", new ByteArrayContent([1, 2, 3]), Ct);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        Assert.Null(await _pool.Pool.StatAsync(PoolPath.Parse("/_rclonepool/ui/evil.js"), Ct));
    }

    [Fact]
    public async Task With_enable_webui_off_a_browser_gets_the_plain_webdav_listing()
    {
        await using var server = await PoolServer.StartAsync(_pool.Pool, new ServerOptions { Port = 0, EnableWebUi = false }, null, Ct);
        using var client = new HttpClient { BaseAddress = server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, "photos/");
        request.Headers.Accept.ParseAdd(BrowserAccept);
        using var response = await client.SendAsync(request, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("page.html", html, StringComparison.Ordinal);
        Assert.DoesNotContain("rclonepool-api", html, StringComparison.Ordinal);
        using var asset = await client.GetAsync("_rclonepool/ui/js/app.js", Ct);
        Assert.NotEqual(HttpStatusCode.OK, asset.StatusCode);
    }

    [Fact]
    public async Task With_basic_auth_the_page_and_its_files_need_credentials_and_the_browser_is_asked_for_them()
    {
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Basic, Credentials = AuthFixtures.Store() }, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        await using var server = await PoolServer.StartAsync(_pool.Pool, new ServerOptions { Port = 0, Authenticator = authenticator }, null, Ct);
        using var client = new HttpClient { BaseAddress = server.Url };
        foreach (var path in new[] { "", "_rclonepool/ui/js/app.js" })
        {
            using var anonymous = new HttpRequestMessage(HttpMethod.Get, path);
            anonymous.Headers.Accept.ParseAdd(BrowserAccept);
            using var refused = await client.SendAsync(anonymous, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.StartsWith("Basic", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

            using var signedIn = new HttpRequestMessage(HttpMethod.Get, path);
            signedIn.Headers.Accept.ParseAdd(BrowserAccept);
            signedIn.Headers.Authorization = AuthenticationHeaderValue.Parse(AuthFixtures.Basic(AuthFixtures.User, AuthFixtures.Password));
            using var served = await client.SendAsync(signedIn, Ct);
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await _client.SendAsync(request, Ct);
    }
}
