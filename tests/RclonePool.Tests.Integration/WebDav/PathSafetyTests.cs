using System.Net;
using RclonePool.Core.Paths;
using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// Request paths and Destination headers that try to leave the pool, sent byte for byte over a socket (HttpClient would
/// normalise them first). Each is refused and the pool is left unchanged.
/// </summary>
public sealed class PathSafetyTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await ServerUnderTest.StartAsync();
        using var put = await _server.Client.PutAsync("inside.txt", new ByteArrayContent([1, 2, 3]), Ct);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData("/%2e%2e/etc/passwd")]
    [InlineData("/a/%2E%2E/inside.txt")]
    [InlineData("/a/../inside.txt")]
    [InlineData("/./inside.txt")]
    [InlineData("/a%2finside.txt")]
    [InlineData("/a%2Finside.txt")]
    [InlineData("/%c0%ae%c0%ae/etc/passwd")]
    [InlineData("/%e0%80%ae%e0%80%ae/x")]
    [InlineData("/%c0%af")]
    [InlineData("/a%5c..%5cinside.txt")]
    [InlineData("/a\\..\\inside.txt")]
    [InlineData("/a%00b")]
    [InlineData("/a%01b")]
    [InlineData("/%ff")]
    [InlineData("/%zz")]
    [InlineData("/a%2")]
    public async Task Escaping_or_ambiguous_paths_get_400_for_every_method(string target)
    {
        foreach (var method in new[] { "GET", "PUT", "DELETE", "MKCOL", "PROPFIND", "MOVE", "LOCK" })
        {
            var status = await RawHttp.SendAsync(_server.Url, RawHttp.Head(method, target, _server.Url, "Content-Length: 0", "Destination: /moved"));
            Assert.True(status == 400, $"{method} {target} got {status}");
        }

        AssertUnchanged();
    }

    [Theory]
    [InlineData("http://elsewhere.example/stolen")]
    [InlineData("http://127.0.0.2:1/stolen")]
    [InlineData("ftp://127.0.0.1/stolen")]
    public async Task A_destination_on_another_server_gets_502(string destination)
    {
        foreach (var method in new[] { "COPY", "MOVE" })
        {
            using var response = await _server.SendAsync(method, "inside.txt", null, ("Destination", destination));
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        AssertUnchanged();
    }

    [Theory]
    [InlineData("/%2e%2e/stolen")]
    [InlineData("/a%2fb")]
    [InlineData("/a/../../stolen")]
    [InlineData("/%c0%ae%c0%ae/stolen")]
    public async Task A_destination_that_escapes_gets_400(string path)
    {
        foreach (var destination in new[] { path, $"http://{_server.Url.Authority}{path}" })
        {
            var status = await RawHttp.SendAsync(_server.Url, RawHttp.Head("COPY", "/inside.txt", _server.Url, "Destination: " + destination));
            Assert.Equal(400, status);
        }

        AssertUnchanged();
    }

    [Fact]
    public async Task A_destination_may_be_an_absolute_path_or_a_uri_of_this_server()
    {
        using var byPath = await _server.SendAsync("COPY", "inside.txt", null, ("Destination", "/by-path.txt"));
        using var byUri = await _server.SendAsync("COPY", "inside.txt", null, ("Destination", new Uri(_server.Url, "by%20uri.txt").AbsoluteUri));

        Assert.Equal(HttpStatusCode.Created, byPath.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byUri.StatusCode);
        Assert.NotNull(_server.Pool.ReadAll(PoolPath.Parse("/by uri.txt")));
    }

    [Fact]
    public async Task Percent_encoded_utf8_names_are_decoded_once()
    {
        var status = await RawHttp.SendAsync(_server.Url, RawHttp.Head("PUT", "/caf%C3%A9%2520.txt", _server.Url, "Content-Length: 2"), [1, 2]);

        Assert.Equal(201, status);
        Assert.Equal([1, 2], _server.Pool.ReadAll(PoolPath.Parse("/café%20.txt")));
    }

    [Fact]
    public async Task Under_a_path_base_only_that_prefix_is_served()
    {
        await using var server = await ServerUnderTest.StartAsync(new ServerOptions { PathBase = "/dav" });
        Assert.EndsWith("/dav/", server.Url.ToString(), StringComparison.Ordinal);

        using var put = await server.Client.PutAsync("file.txt", new ByteArrayContent([7]), Ct);
        using var outside = await server.Client.GetAsync(new Uri(server.Url, "/file.txt"), Ct);
        using var copyOut = await server.SendAsync("COPY", "file.txt", null, ("Destination", "/elsewhere.txt"));
        using var copyIn = await server.SendAsync("COPY", "file.txt", null, ("Destination", "/dav/copy.txt"));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal([7], server.Pool.ReadAll(PoolPath.Parse("/file.txt")));
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, copyOut.StatusCode);
        Assert.Equal(HttpStatusCode.Created, copyIn.StatusCode);
    }

    private void AssertUnchanged()
    {
        Assert.Equal(1, _server.Pool.FileCount);
        Assert.Equal([1, 2, 3], _server.Pool.ReadAll(PoolPath.Parse("/inside.txt")));
    }
}
