using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Api;

/// <summary>The file endpoints against a real pool on rclone: upload, download, listing, metadata, mv, directories, delete; good and bad input.</summary>
public sealed class ApiFileTests(ApiServerFixture fixture) : IClassFixture<ApiServerFixture>
{
    private ApiServer Api => fixture.Api;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_multipart_upload_of_a_few_MiB_downloads_bit_exact_whole_and_by_range()
    {
        var content = LocalPool.RandomBytes(3 * 1024 * 1024 + 123, seed: 1);
        using var created = await Api.UploadAsync("/up/big.bin", content);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var metadata = await ApiServer.JsonOf(created);
        Assert.Equal("/up/big.bin", (string?)metadata["path"]);
        Assert.Equal(content.Length, (long)metadata["size"]!);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), (string?)metadata["hashes"]!["sha256"]);
        Assert.Equal(13, metadata["chunks"]!.AsArray().Count); // 256 KiB chunks
        Assert.EndsWith("/api/v1/content/up/big.bin", created.Headers.Location!.ToString());

        using var whole = await Api.Client.GetAsync("content/up/big.bin", Ct);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(content, await whole.Content.ReadAsByteArrayAsync(Ct));
        Assert.NotNull(whole.Headers.ETag);
        Assert.NotNull(whole.Content.Headers.LastModified);

        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, "content/up/big.bin");
        rangeRequest.Headers.Range = new RangeHeaderValue(1_000_000, 1_999_999);
        using var range = await Api.Client.SendAsync(rangeRequest, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal($"bytes 1000000-1999999/{content.Length}", range.Content.Headers.ContentRange!.ToString());
        Assert.Equal(content.AsSpan(1_000_000, 1_000_000).ToArray(), await range.Content.ReadAsByteArrayAsync(Ct));

        using var outside = new HttpRequestMessage(HttpMethod.Get, "content/up/big.bin");
        outside.Headers.Range = new RangeHeaderValue(content.Length + 10, null);
        using var unsatisfiable = await Api.Client.SendAsync(outside, Ct);
        await ApiServer.ProblemAsync(unsatisfiable, 416);
        Assert.Equal($"bytes */{content.Length}", unsatisfiable.Content.Headers.GetValues("Content-Range").Single());

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "content/up/big.bin");
        conditional.Headers.IfNoneMatch.Add(whole.Headers.ETag!);
        using var notModified = await Api.Client.SendAsync(conditional, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var download = await Api.Client.GetAsync("content/up/big.bin?download=1", Ct);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("big.bin", download.Content.Headers.ContentDisposition.FileNameStar);
    }

    [Fact]
    public async Task An_upload_cut_off_half_way_leaves_nothing_in_the_pool()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("/cut/half.bin"), "remote_path" },
            { new FailingContent(LocalPool.RandomBytes(1024 * 1024, seed: 2)), "file", "half.bin" },
        };
        await Assert.ThrowsAnyAsync<Exception>(() => Api.Client.PostAsync("files", form, Ct));

        using var after = await Api.Client.GetAsync("files/cut/half.bin", Ct);
        await ApiServer.ProblemAsync(after, 404);
    }

    [Fact]
    public async Task A_listing_pages_with_a_cursor_through_every_entry_once()
    {
        for (var i = 0; i < 5; i++)
        {
            using var up = await Api.UploadAsync($"/paged/f{i}.txt", [(byte)i]);
            Assert.Equal(HttpStatusCode.Created, up.StatusCode);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            using var response = await Api.Client.GetAsync($"files?dir=/paged&limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await ApiServer.JsonOf(response);
            Assert.Equal("/paged", (string?)page["dir"]);
            seen.AddRange(page["entries"]!.AsArray().Select(e => (string)e!["path"]!));
            Assert.All(page["entries"]!.AsArray(), e => Assert.Equal("file", (string?)e!["type"]));
            cursor = (string?)page["next_cursor"];
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"/paged/f{i}.txt"), seen);

        using var root = await Api.Client.GetAsync("files?dir=/&recursive=true", Ct);
        Assert.Contains((await ApiServer.JsonOf(root))["entries"]!.AsArray(), e => (string?)e!["path"] == "/paged/f3.txt");
    }

    [Theory]
    [InlineData("files?dir=/no/such/dir", 404)]
    [InlineData("files?dir=/../etc", 400)]
    [InlineData("files?dir=/&limit=0", 400)]
    [InlineData("files?dir=/&recursive=perhaps", 400)]
    [InlineData("files?dir=/&cursor=!!not-a-cursor", 400)]
    [InlineData("files/no/such/file", 404)]
    [InlineData("content/no/such/file", 404)]
    [InlineData("nothing/here", 404)]
    [InlineData("jobs/0123456789abcdef01234567", 404)]
    public async Task Bad_reads_get_problem_details(string url, int status)
    {
        using var response = await Api.Client.GetAsync(url, Ct);
        var detail = await ApiServer.ProblemAsync(response, status);
        Assert.False(string.IsNullOrWhiteSpace(detail));
    }

    [Fact]
    public async Task Metadata_names_every_chunk_and_where_it_is()
    {
        using var up = await Api.UploadAsync("/meta/m.bin", LocalPool.RandomBytes(600 * 1024, seed: 3));
        using var response = await Api.Client.GetAsync("files/meta/m.bin", Ct);
        var file = await ApiServer.JsonOf(response);
        Assert.Equal("file", (string?)file["type"]);
        Assert.Equal("m.bin", (string?)file["name"]);
        Assert.Equal("none", (string?)file["redundancy"]);
        var chunks = file["chunks"]!.AsArray();
        Assert.Equal(3, chunks.Count);
        Assert.Equal(256 * 1024, (long)chunks[1]!["offset"]!);
        Assert.All(chunks, c => Assert.StartsWith(Api.Pool.Root, (string)c!["locations"]![0]!["remote"]!));
        Assert.Contains((string?)file["health"], new[] { "unknown", "intact" });

        using var directory = await Api.Client.GetAsync("files/meta", Ct);
        Assert.Equal("directory", (string?)(await ApiServer.JsonOf(directory))["type"]);
    }

    [Fact]
    public async Task Mv_renames_and_refuses_conflicts_traversal_and_malformed_bodies()
    {
        using var a = await Api.UploadAsync("/mv/a.txt", "alpha"u8.ToArray());
        using var b = await Api.UploadAsync("/mv/b.txt", "beta"u8.ToArray());

        using var moved = await Api.PostJsonAsync("mv", """{"from":"/mv/a.txt","to":"/mv/c.txt"}""");
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("/mv/c.txt", (string?)(await ApiServer.JsonOf(moved))["path"]);
        using var gone = await Api.Client.GetAsync("files/mv/a.txt", Ct);
        await ApiServer.ProblemAsync(gone, 404);

        await ApiServer.ProblemAsync(await Api.PostJsonAsync("mv", """{"from":"/mv/c.txt","to":"/mv/b.txt"}"""), 409);
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("mv", """{"from":"/mv/c.txt","to":"/../escape.txt"}"""), 400);
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("mv", """{"from":"/mv/c.txt","""), 400);
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("mv", """{"from":"/mv/c.txt"}"""), 400);
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("mv", """{"from":"/mv/c.txt","to":"/mv/d.txt","ovewrite":true}"""), 400);
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("mv", """{"from":"/mv/nothing","to":"/mv/e.txt"}"""), 404);

        using var replaced = await Api.PostJsonAsync("mv", """{"from":"/mv/c.txt","to":"/mv/b.txt","overwrite":true}""");
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        using var content = await Api.Client.GetAsync("content/mv/b.txt", Ct);
        Assert.Equal("alpha", await content.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Directories_are_created_once_and_deleted()
    {
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("directories", """{"path":"/dirs/new"}"""), 404); // no parent
        using var parent = await Api.PostJsonAsync("directories", """{"path":"/dirs"}""");
        Assert.Equal(HttpStatusCode.Created, parent.StatusCode);
        using var created = await Api.PostJsonAsync("directories", """{"path":"/dirs/new"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("directory", (string?)(await ApiServer.JsonOf(created))["type"]);
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("directories", """{"path":"/dirs/new"}"""), 409);
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("directories", """{"path":"/dirs/../../x"}"""), 400);

        using var up = await Api.UploadAsync("/dirs/new/file.txt", "x"u8.ToArray());
        await ApiServer.ProblemAsync(await Api.Client.DeleteAsync("files/dirs/new", Ct), 409);
        using var file = await Api.Client.DeleteAsync("files/dirs/new/file.txt", Ct);
        Assert.Equal(HttpStatusCode.NoContent, file.StatusCode);
        await ApiServer.ProblemAsync(await Api.Client.DeleteAsync("files/dirs/new/file.txt", Ct), 404);
        using var directory = await Api.Client.DeleteAsync("files/dirs/new", Ct);
        Assert.Equal(HttpStatusCode.NoContent, directory.StatusCode);
    }

    [Fact]
    public async Task Wrong_methods_wrong_types_and_oversized_bodies_are_refused()
    {
        using var post = await Api.Client.PostAsync("status", null, Ct);
        await ApiServer.ProblemAsync(post, 405);
        Assert.Contains("GET", post.Content.Headers.Allow);

        using var text = await Api.Client.PostAsync("mv", new StringContent("from=/a"), Ct);
        await ApiServer.ProblemAsync(text, 415);

        var huge = "{\"from\":\"/" + new string('a', 100_000) + "\",\"to\":\"/b\"}";
        await ApiServer.ProblemAsync(await Api.PostJsonAsync("mv", huge), 413);

        using var noFile = new MultipartFormDataContent { { new StringContent("/x.bin"), "remote_path" } };
        await ApiServer.ProblemAsync(await Api.Client.PostAsync("files", noFile, Ct), 400);
        using var fileFirst = new MultipartFormDataContent
        {
            { new ByteArrayContent([1, 2, 3]), "file", "x.bin" },
            { new StringContent("/x.bin"), "remote_path" },
        };
        await ApiServer.ProblemAsync(await Api.Client.PostAsync("files", fileFirst, Ct), 400);
        using var traversal = new MultipartFormDataContent
        {
            { new StringContent("/../x.bin"), "remote_path" },
            { new ByteArrayContent([1, 2, 3]), "file", "x.bin" },
        };
        await ApiServer.ProblemAsync(await Api.Client.PostAsync("files", traversal, Ct), 400);
    }

    [Fact]
    public async Task Status_remotes_stats_and_health_describe_the_pool()
    {
        using var up = await Api.UploadAsync("/overview/o.bin", LocalPool.RandomBytes(300 * 1024, seed: 4));

        var status = await ApiServer.JsonOf(await Api.Client.GetAsync("status", Ct));
        Assert.True((long)status["pool"]!["files"]! >= 1);
        Assert.Equal(3, (int)status["pool"]!["remotes"]!);
        Assert.Equal(3, (int)status["pool"]!["remotes_answering"]!);
        Assert.False(string.IsNullOrEmpty((string?)status["version"]));
        Assert.EndsWith("Z", (string)status["server_time"]!, StringComparison.Ordinal); // ISO 8601, UTC

        var remotes = (await ApiServer.JsonOf(await Api.Client.GetAsync("remotes", Ct))).AsArray();
        Assert.Equal(3, remotes.Count);
        Assert.All(remotes, r =>
        {
            Assert.True((bool)r!["answering"]!);
            Assert.Equal("closed", (string?)r["circuit"]);
            Assert.True((long)r["free_bytes"]! > 0);
        });
        Assert.True(remotes.Sum(r => (long)r!["objects"]!) >= 2);

        var stats = await ApiServer.JsonOf(await Api.Client.GetAsync("stats", Ct));
        Assert.True((long)stats["stored_bytes"]! >= 300 * 1024);
        Assert.Equal(3, stats["remotes"]!.AsArray().Count);

        var health = await ApiServer.JsonOf(await Api.Client.GetAsync("health", Ct));
        Assert.Equal("healthy", (string?)health["state"]);
        Assert.True((int)health["files"]!["total"]! >= 1);
        var after = await ApiServer.JsonOf(await Api.Client.GetAsync("status", Ct));
        Assert.Equal("healthy", (string?)after["health"]);
    }

    /// <summary>Sends half of its bytes, then fails, as a client that loses its connection.</summary>
    private sealed class FailingContent(byte[] data) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(data.AsMemory(0, data.Length / 2));
            await stream.FlushAsync();
            throw new IOException("the client went away");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
