using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.WebUtilities;
using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>GET and HEAD with Range (RFC 7233) and the conditional headers (RFC 7232).</summary>
public sealed class RangeAndConditionalTests : IAsyncLifetime
{
    private static readonly byte[] Content = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
    private ServerUnderTest _server = null!;
    private string _etag = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await ServerUnderTest.StartAsync(new ServerOptions { MaxRanges = 4 });
        using var put = await _server.Client.PutAsync("f.bin", new ByteArrayContent(Content), Ct);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        _etag = put.Headers.ETag!.Tag;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Theory]
    [InlineData("bytes=10-19", 10, 10)]
    [InlineData("bytes=-5", 995, 5)]
    [InlineData("bytes=995-", 995, 5)]
    [InlineData("bytes=990-5000", 990, 10)]
    [InlineData("bytes=0-0", 0, 1)]
    [InlineData("bytes=0-5,3-10", 0, 11)]
    [InlineData("bytes=0-1,2-3", 0, 4)]
    [InlineData("bytes=5-9, 2000-3000", 5, 5)]
    public async Task A_satisfiable_range_gets_206_with_the_exact_bytes(string range, int offset, int length)
    {
        using var response = await GetAsync(range);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {offset}-{offset + length - 1}/1000", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(length, response.Content.Headers.ContentLength);
        Assert.Equal(Content.AsSpan(offset, length).ToArray(), await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData("bytes=1000-1001")]
    [InlineData("bytes=5000-")]
    [InlineData("bytes=-0")]
    public async Task An_unsatisfiable_range_gets_416_with_the_length(string range)
    {
        using var response = await GetAsync(range);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */1000", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Theory]
    [InlineData("bytes=5-2")]
    [InlineData("items=0-1")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=0-1,4-5,8-9,12-13,16-17")]
    public async Task A_malformed_or_too_fragmented_range_is_ignored_and_the_whole_file_sent(string range)
    {
        using var response = await GetAsync(range);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Content, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Several_ranges_come_back_as_multipart_byteranges()
    {
        using var response = await GetAsync("bytes=900-909,0-4,100-102");

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("multipart/byteranges", response.Content.Headers.ContentType!.MediaType);
        var boundary = response.Content.Headers.ContentType.Parameters.Single(p => p.Name == "boundary").Value!;
        var reader = new MultipartReader(boundary, await response.Content.ReadAsStreamAsync(Ct));
        var parts = new List<(string Range, byte[] Bytes)>();
        while (await reader.ReadNextSectionAsync(Ct) is { } section)
        {
            using var bytes = new MemoryStream();
            await section.Body.CopyToAsync(bytes, Ct);
            parts.Add((section.Headers!["Content-Range"].ToString(), bytes.ToArray()));
        }

        Assert.Equal(["bytes 0-4/1000", "bytes 100-102/1000", "bytes 900-909/1000"], parts.Select(p => p.Range));
        Assert.Equal(Content[0..5], parts[0].Bytes);
        Assert.Equal(Content[100..103], parts[1].Bytes);
        Assert.Equal(Content[900..910], parts[2].Bytes);
    }

    [Fact]
    public async Task If_range_with_the_current_etag_honours_the_range_and_a_stale_one_sends_everything()
    {
        using var current = await GetAsync("bytes=0-9", ("If-Range", _etag));
        using var stale = await GetAsync("bytes=0-9", ("If-Range", "\"0000\""));
        using var weak = await GetAsync("bytes=0-9", ("If-Range", "W/" + _etag));

        Assert.Equal(HttpStatusCode.PartialContent, current.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
    }

    [Fact]
    public async Task Head_with_a_range_reports_it_without_a_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, "f.bin");
        request.Headers.Range = new RangeHeaderValue(10, 19);
        using var response = await _server.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(10, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task Get_sends_validators_accept_ranges_and_a_type_by_extension()
    {
        await _server.Client.PutAsync("movie.mkv", new ByteArrayContent([1]), Ct);
        await _server.Client.PutAsync("notes.txt", new ByteArrayContent([1]), Ct);

        using var response = await _server.Client.GetAsync("f.bin", Ct);
        using var movie = await _server.Client.GetAsync("movie.mkv", Ct);
        using var notes = await _server.Client.GetAsync("notes.txt", Ct);

        Assert.Equal(_etag, response.Headers.ETag!.Tag);
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal(["bytes"], response.Headers.AcceptRanges);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("video/x-matroska", movie.Content.Headers.ContentType!.MediaType);
        Assert.Equal("text/plain", notes.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task An_empty_file_has_no_satisfiable_range()
    {
        await _server.Client.PutAsync("empty", new ByteArrayContent([]), Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "empty");
        request.Headers.TryAddWithoutValidation("Range", "bytes=0-");
        using var response = await _server.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */0", response.Content.Headers.GetValues("Content-Range").Single());
    }

    [Fact]
    public async Task If_none_match_with_the_etag_gets_304_and_if_match_with_another_gets_412()
    {
        using var notModified = await GetAsync(null, ("If-None-Match", _etag));
        using var star = await GetAsync(null, ("If-None-Match", "*"));
        using var other = await GetAsync(null, ("If-None-Match", "\"other\""));
        using var failed = await GetAsync(null, ("If-Match", "\"other\""));
        using var matched = await GetAsync(null, ("If-Match", "\"other\", " + _etag));

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, star.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, matched.StatusCode);
    }

    [Fact]
    public async Task Dates_are_compared_at_second_precision()
    {
        var future = DateTimeOffset.UtcNow.AddDays(1).ToString("R");
        var past = DateTimeOffset.UtcNow.AddDays(-1).ToString("R");

        using var notModified = await GetAsync(null, ("If-Modified-Since", future));
        using var modified = await GetAsync(null, ("If-Modified-Since", past));
        using var unmodifiedFailed = await GetAsync(null, ("If-Unmodified-Since", past));
        using var unmodified = await GetAsync(null, ("If-Unmodified-Since", future));

        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, unmodifiedFailed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unmodified.StatusCode);
    }

    [Fact]
    public async Task Conditional_put_and_delete_change_nothing_when_the_precondition_fails()
    {
        using var overwrite = await _server.SendAsync("PUT", "f.bin", new ByteArrayContent([9]), ("If-None-Match", "*"));
        using var stale = await _server.SendAsync("PUT", "f.bin", new ByteArrayContent([9]), ("If-Match", "\"stale\""));
        using var delete = await _server.SendAsync("DELETE", "f.bin", null, ("If-Match", "\"stale\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, overwrite.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, delete.StatusCode);
        Assert.Equal(Content, _server.Pool.ReadAll(Core.Paths.PoolPath.Parse("/f.bin")));

        using var create = await _server.SendAsync("PUT", "new.bin", new ByteArrayContent([9]), ("If-None-Match", "*"));
        using var replace = await _server.SendAsync("PUT", "f.bin", new ByteArrayContent([9]), ("If-Match", _etag));
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, replace.StatusCode);
        Assert.Equal([9], _server.Pool.ReadAll(Core.Paths.PoolPath.Parse("/f.bin")));
    }

    private Task<HttpResponseMessage> GetAsync(string? range, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "f.bin");
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return _server.Client.SendAsync(request, Ct);
    }
}
