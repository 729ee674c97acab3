using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Index;

/// <summary>
/// Two real <c>serve</c> processes (each with its own config, cache directory and rclone rcd) over the same local remotes
/// and one PostgreSQL index: what one writes the other serves at once, two writers of one path leave one whole winner,
/// a gateway killed mid-write leaves the other serving the old version, and a WebDAV lock taken through one holds
/// through the other.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SeveralGatewaysTests(PostgresServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_file_written_through_one_gateway_is_listed_and_read_through_the_other_within_a_second()
    {
        await using var pool = await PoolAsync();
        await using var a = await GatewayAsync(pool, "a");
        await using var b = await GatewayAsync(pool, "b");
        var content = LocalPool.RandomBytes(700_000, 1);
        using (var mkcol = await a.Http.SendAsync(new HttpRequestMessage(new HttpMethod("MKCOL"), "shared/"), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, mkcol.StatusCode);
        }

        // Both gateways warm (a first request JITs the server's paths and starts b's reads through its rcd).
        using (var put = await a.Http.PutAsync("shared/warm.bin", new ByteArrayContent(content), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal(content, await b.Http.GetByteArrayAsync("shared/warm.bin", Ct));
        Assert.Contains("warm.bin", await PropfindAsync(b.Http, "shared/"), StringComparison.Ordinal);

        content = LocalPool.RandomBytes(700_000, 2);
        using (var put = await a.Http.PutAsync("shared/film.bin", new ByteArrayContent(content), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var clock = Stopwatch.StartNew();
        string listing;
        while (true)
        {
            listing = await PropfindAsync(b.Http, "shared/");
            if (listing.Contains("film.bin", StringComparison.Ordinal) || clock.Elapsed > TimeSpan.FromSeconds(1))
            {
                break;
            }
        }

        Assert.True(listing.Contains("film.bin", StringComparison.Ordinal), $"gateway b did not list the file within 1 s: {listing}");
        Assert.Equal(content, await b.Http.GetByteArrayAsync("shared/film.bin", Ct));
        TestContext.Current.TestOutputHelper?.WriteLine($"listed and read through gateway b {clock.Elapsed.TotalMilliseconds:0} ms after gateway a answered the PUT");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"listed and read through gateway b after {clock.Elapsed.TotalMilliseconds:0} ms");

        // And back: a delete through b is gone through a.
        using (var delete = await b.Http.DeleteAsync("shared/film.bin", Ct))
        {
            Assert.True(delete.IsSuccessStatusCode, delete.StatusCode.ToString());
        }

        using var gone = await a.Http.GetAsync("shared/film.bin", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    /// <remarks>
    /// Without the shared path locks (<c>ISharedPathLocks</c>) this fails: both gateways derive the same next revision, the
    /// remotes end with a mix of the two manifests of that revision, and the gateways serve different bytes.
    /// </remarks>
    [Fact]
    public async Task Two_gateways_overwriting_one_path_at_once_leave_one_whole_winner()
    {
        await using var pool = await PoolAsync();
        await using var a = await GatewayAsync(pool, "a");
        await using var b = await GatewayAsync(pool, "b");
        var old = LocalPool.RandomBytes(1 << 20, 10);
        using (var put = await a.Http.PutAsync("race.bin", new ByteArrayContent(old), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        for (var round = 0; round < 3; round++)
        {
            var fromA = LocalPool.RandomBytes(1 << 20, 100 + round);
            var fromB = LocalPool.RandomBytes((1 << 20) + 4096, 200 + round);
            var puts = await Task.WhenAll(a.Http.PutAsync("race.bin", new ByteArrayContent(fromA), Ct), b.Http.PutAsync("race.bin", new ByteArrayContent(fromB), Ct));
            Assert.All(puts, p => Assert.True(p.IsSuccessStatusCode, p.StatusCode.ToString()));
            foreach (var put in puts)
            {
                put.Dispose();
            }

            var throughA = await a.Http.GetByteArrayAsync("race.bin", Ct);
            var throughB = await b.Http.GetByteArrayAsync("race.bin", Ct);
            Assert.Equal(throughA, throughB);
            Assert.True(throughA.AsSpan().SequenceEqual(fromA) || throughA.AsSpan().SequenceEqual(fromB), $"round {round}: served {throughA.Length} bytes that are neither version");
        }

        // One current manifest per remote (the losing revisions retired), and the remotes alone rebuild the same answer.
        Assert.Equal(pool.Remotes.Count, pool.ManifestFiles().Count());
        var served = await a.Http.GetByteArrayAsync("race.bin", Ct);
        await pool.OkAsync("index", "rebuild");
        Assert.Equal(served, await b.Http.GetByteArrayAsync("race.bin", Ct));
        await pool.OkAsync("verify");
    }

    [Fact]
    public async Task A_gateway_killed_mid_write_leaves_the_other_serving_the_old_version()
    {
        await using var pool = await PoolAsync();
        await using var a = await GatewayAsync(pool, "a");
        var b = await GatewayAsync(pool, "b");
        var old = LocalPool.RandomBytes(1 << 20, 20);
        using (var put = await a.Http.PutAsync("kept.bin", new ByteArrayContent(old), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        // b receives half of a new version (several chunks stored), then dies without a word.
        var chunksBefore = pool.ChunkFiles().Count();
        var half = new TaskCompletionSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var body = new HalfThenHangContent(LocalPool.RandomBytes(2 << 20, 21), half, stop.Token);
        var write = b.Http.PutAsync("kept.bin", body, Ct);
        await half.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await WaitUntilAsync(() => pool.ChunkFiles().Count() > chunksBefore, "gateway b stored chunks of the new version");
        Assert.Equal(0, Remotes.Native.Kill(b.Process.Id, 9));
        await b.DisposeAsync();
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => write);

        Assert.Equal(old, await a.Http.GetByteArrayAsync("kept.bin", Ct));

        // The dead gateway's lock on the path went with its session: a writes the path at once.
        var next = LocalPool.RandomBytes(300_000, 22);
        using (var put = await a.Http.PutAsync("kept.bin", new ByteArrayContent(next), Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct))
        {
            Assert.True(put.IsSuccessStatusCode, put.StatusCode.ToString());
        }

        Assert.Equal(next, await a.Http.GetByteArrayAsync("kept.bin", Ct));
    }

    [Fact]
    public async Task A_WebDAV_lock_taken_through_one_gateway_holds_through_the_other()
    {
        await using var pool = await PoolAsync();
        await using var a = await GatewayAsync(pool, "a");
        await using var b = await GatewayAsync(pool, "b");
        using (var put = await a.Http.PutAsync("doc.txt", new ByteArrayContent("first"u8.ToArray()), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        string token;
        using (var locked = await LockAsync(a.Http, "doc.txt"))
        {
            Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
            token = locked.Headers.GetValues("Lock-Token").Single().Trim('<', '>');
        }

        // Through b: the lock is listed, a write without its token and a second lock are refused.
        var discovery = await PropfindAsync(b.Http, "doc.txt");
        Assert.Contains(token, discovery, StringComparison.Ordinal);
        using (var put = await b.Http.PutAsync("doc.txt", new ByteArrayContent("second"u8.ToArray()), Ct))
        {
            Assert.Equal((HttpStatusCode)423, put.StatusCode);
        }

        using (var again = await LockAsync(b.Http, "doc.txt"))
        {
            Assert.Equal((HttpStatusCode)423, again.StatusCode);
        }

        // With the token, b writes; b's UNLOCK frees the path for a write through a without one.
        using (var put = new HttpRequestMessage(HttpMethod.Put, "doc.txt") { Content = new ByteArrayContent("third"u8.ToArray()) })
        {
            put.Headers.Add("If", $"(<{token}>)");
            using var response = await b.Http.SendAsync(put, Ct);
            Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        }

        using (var unlock = new HttpRequestMessage(new HttpMethod("UNLOCK"), "doc.txt"))
        {
            unlock.Headers.Add("Lock-Token", $"<{token}>");
            using var response = await b.Http.SendAsync(unlock, Ct);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        Assert.DoesNotContain(token, await PropfindAsync(a.Http, "doc.txt"), StringComparison.Ordinal);
        using (var put = await a.Http.PutAsync("doc.txt", new ByteArrayContent("fourth"u8.ToArray()), Ct))
        {
            Assert.True(put.IsSuccessStatusCode, put.StatusCode.ToString());
        }

        Assert.Equal("fourth"u8.ToArray(), await b.Http.GetByteArrayAsync("doc.txt", Ct));
    }

    [Fact]
    public async Task Two_gateways_locking_one_path_at_once_give_exactly_one_lock()
    {
        await using var pool = await PoolAsync();
        await using var a = await GatewayAsync(pool, "a");
        await using var b = await GatewayAsync(pool, "b");
        for (var round = 0; round < 8; round++)
        {
            var path = $"contended-{round}.txt";
            using (var put = await a.Http.PutAsync(path, new ByteArrayContent([1, 2, 3]), Ct))
            {
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            }

            var answers = await Task.WhenAll(LockAsync(a.Http, path), LockAsync(b.Http, path));
            var statuses = answers.Select(r => (int)r.StatusCode).Order().ToArray();
            foreach (var answer in answers)
            {
                answer.Dispose();
            }

            Assert.Equal([200, 423], statuses);
        }
    }

    private static Task<HttpResponseMessage> LockAsync(HttpClient http, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod("LOCK"), path)
        {
            Content = new StringContent(
                """<?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>test</D:owner></D:lockinfo>""",
                System.Text.Encoding.UTF8,
                "application/xml"),
        };
        request.Headers.Add("Depth", "0");
        return http.SendAsync(request, Ct);
    }

    private async Task<LocalPool> PoolAsync()
    {
        var connectionString = await server.CreateDatabaseAsync();
        return await LocalPool.CreateAsync(remotes: 3, chunkSize: 256 * 1024, configure: c =>
        {
            c["index_backend"] = "postgresql";
            c["index_connection_string"] = connectionString;
        });
    }

    /// <summary>A <c>serve</c> process of its own: the pool's config with its own cache and temporary directories.</summary>
    private static async Task<Gateway> GatewayAsync(LocalPool pool, string name)
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(pool.ConfigPath, Ct))!.AsObject();
        config["manifest_cache_dir"] = Path.Combine(pool.Root, $"cache-{name}");
        config["temp_dir"] = Path.Combine(pool.Root, $"tmp-{name}");
        var path = Path.Combine(pool.Root, $"gateway-{name}.json");
        await File.WriteAllTextAsync(path, config.ToJsonString(), Ct);
        var process = CliProcess.Start(["--config", path, "serve", "--port", "0"], new Dictionary<string, string>());
        const string prefix = "serve: WebDAV on ";
        var line = await process.WaitForLineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var url = line[prefix.Length..].Split(' ')[0];
        return new Gateway(process, new HttpClient { BaseAddress = new Uri(url.EndsWith('/') ? url : url + "/"), Timeout = TimeSpan.FromSeconds(60) });
    }

    private static async Task<string> PropfindAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), path);
        request.Headers.Add("Depth", "1");
        using var response = await http.SendAsync(request, Ct);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting until {what}");
            await Task.Delay(20, Ct);
        }
    }

    private sealed class Gateway(CliProcess process, HttpClient http) : IAsyncDisposable
    {
        public CliProcess Process { get; } = process;

        public HttpClient Http { get; } = http;

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Process.DisposeAsync();
        }
    }

    /// <summary>A request body that sends its first half, says so, and then never ends.</summary>
    private sealed class HalfThenHangContent(byte[] content, TaskCompletionSource half, CancellationToken stop) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(content.AsMemory(0, content.Length / 2));
            await stream.FlushAsync();
            half.TrySetResult();
            await Task.Delay(Timeout.Infinite, stop);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = content.Length;
            return true;
        }
    }
}
