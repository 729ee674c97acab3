using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Metrics;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Users;

/// <summary>The server of the quota tests: carol may hold 1 MiB in at most 20 files; alice and bob have no quota.</summary>
public sealed class QuotaServerFixture : IAsyncLifetime
{
    public const long QuotaBytes = 1024 * 1024;
    public const long QuotaFiles = 20;

    public UserServer Users { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Users = await UserServer.StartAsync(new Dictionary<string, (long, long)> { ["carol"] = (QuotaBytes, QuotaFiles) }, metrics: true);

    public async ValueTask DisposeAsync() => await Users.DisposeAsync();
}

/// <summary>
/// Quotas of a multi-user server on real pools: exactly at the quota, one byte over, a PUT without a length passing it
/// midway, uploads racing for the last bytes, the API's 507, the CLI's exit code 7, and usage in stats and metrics.
/// Each test starts from carol's empty pool and leaves it empty.
/// </summary>
public sealed class UserQuotaTests(QuotaServerFixture fixture) : IClassFixture<QuotaServerFixture>, IAsyncLifetime
{
    private const long Quota = QuotaServerFixture.QuotaBytes;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private UserServer Server => fixture.Users;

    public ValueTask InitializeAsync() => EmptyCarolAsync();

    public ValueTask DisposeAsync() => EmptyCarolAsync();

    [Fact]
    public async Task A_file_of_exactly_the_quota_is_stored_and_one_byte_more_is_507_with_nothing_kept()
    {
        using var carol = Server.Client("carol");
        var full = Random((int)Quota, 1);
        Assert.Equal(HttpStatusCode.Created, (await carol.PutAsync("full.bin", new ByteArrayContent(full), Ct)).StatusCode);
        Assert.Equal(full, await carol.GetByteArrayAsync("full.bin", Ct));

        using var over = await carol.PutAsync("one-more.bin", new ByteArrayContent([1]), Ct);
        Assert.Equal(HttpStatusCode.InsufficientStorage, over.StatusCode);
        var message = await over.Content.ReadAsStringAsync(Ct);
        Assert.Contains("quota of user 'carol'", message, StringComparison.Ordinal);
        Assert.Contains("quota_bytes", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await carol.GetAsync("one-more.bin", Ct)).StatusCode);

        // The others are not held to carol's quota.
        using var alice = Server.Client("alice");
        Assert.Equal(HttpStatusCode.Created, (await alice.PutAsync("big.bin", new ByteArrayContent(Random((int)Quota + 1, 2)), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync("big.bin", Ct)).StatusCode);

        // A file one byte over the quota on its own is refused before its first byte is stored.
        Assert.Equal(HttpStatusCode.NoContent, (await carol.DeleteAsync("full.bin", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.InsufficientStorage, (await carol.PutAsync("too-big.bin", new ByteArrayContent(Random((int)Quota + 1, 3)), Ct)).StatusCode);
        Assert.Empty(Server.DataObjects("carol"));
    }

    [Fact]
    public async Task A_PUT_without_a_length_that_passes_the_quota_midway_keeps_nothing()
    {
        using var carol = Server.Client("carol");
        var data = Random((int)Quota + (200 * 1024), 4);
        using var content = new StreamContent(new UnknownLengthStream(data));
        using var response = await carol.PutAsync("stream.bin", content, Ct);
        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await carol.GetAsync("stream.bin", Ct)).StatusCode);
        Assert.Empty(Server.DataObjects("carol"));

        // The same stream within the quota is stored whole.
        var fits = Random((int)Quota - 1, 5);
        using var ok = await carol.PutAsync("stream.bin", new StreamContent(new UnknownLengthStream(fits)), Ct);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(fits, await carol.GetByteArrayAsync("stream.bin", Ct));
    }

    [Fact]
    public async Task Uploads_racing_for_the_last_free_bytes_never_store_more_than_the_quota()
    {
        using var carol = Server.Client("carol");
        var third = (int)(Quota * 4 / 10); // two fit, three do not

        // Known lengths: reserved whole before the first byte, so exactly two of three win.
        var known = await Task.WhenAll(Enumerable.Range(0, 3).Select(async i =>
        {
            using var response = await carol.PutAsync($"known-{i}.bin", new ByteArrayContent(Random(third, 10 + i)), Ct);
            return response.StatusCode;
        }));
        Assert.Equal(2, known.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(1, known.Count(s => s == HttpStatusCode.InsufficientStorage));
        await EmptyCarolAsync();

        // Unknown lengths: reserved as the bytes arrive; whatever wins, the pool never holds more than the quota.
        var streamed = await Task.WhenAll(Enumerable.Range(0, 3).Select(async i =>
        {
            using var response = await carol.PutAsync($"streamed-{i}.bin", new StreamContent(new UnknownLengthStream(Random(third, 20 + i))), Ct);
            return response.StatusCode;
        }));
        Assert.All(streamed, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.InsufficientStorage, s.ToString()));
        Assert.InRange(streamed.Count(s => s == HttpStatusCode.Created), 0, 2);
        var stats = await StatsAsync();
        Assert.InRange((long)stats["quota"]!["used_bytes"]!, 0, Quota);
        Assert.Equal(streamed.Count(s => s == HttpStatusCode.Created) * (long)third, (long)stats["bytes"]!);
        Assert.Equal(0, (long)stats["quota"]!["reserved_bytes"]!);
    }

    [Fact]
    public async Task The_API_answers_507_problem_details_and_stats_show_the_callers_usage()
    {
        using var api = Server.Client("carol");
        api.BaseAddress = new Uri(Server.Server.Url, "/_rclonepool/api/v1/");
        using (var ok = new MultipartFormDataContent { { new StringContent("/a.bin"), "remote_path" }, { new ByteArrayContent(Random(1000, 6)), "file", "a.bin" } })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("files", ok, Ct)).StatusCode);
        }

        using var form = new MultipartFormDataContent { { new StringContent("/b.bin"), "remote_path" }, { new ByteArrayContent(Random((int)Quota, 7)), "file", "b.bin" } };
        using var refused = await api.PostAsync("files", form, Ct);
        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(507, (int)problem["status"]!);
        Assert.Contains("quota of user 'carol'", (string)problem["detail"]!, StringComparison.Ordinal);

        var quota = (await StatsAsync())["quota"]!;
        Assert.Equal("carol", (string)quota["user"]!);
        Assert.Equal(Quota, (long)quota["quota_bytes"]!);
        Assert.Equal(QuotaServerFixture.QuotaFiles, (long)quota["quota_files"]!);
        Assert.Equal(1000, (long)quota["used_bytes"]!);
        Assert.Equal(1, (long)quota["used_files"]!);

        // Users without a quota have none in their stats.
        using var alice = Server.Client("alice");
        var aliceStats = JsonNode.Parse(await alice.GetStringAsync("/_rclonepool/api/v1/stats", Ct))!;
        Assert.Null(aliceStats["quota"]);
    }

    [Fact]
    public async Task The_CLI_acting_as_a_user_over_quota_exits_with_code_7_and_stores_nothing()
    {
        var source = Path.Combine(Server.Root, "cli-source.bin");
        await File.WriteAllBytesAsync(source, Random((int)Quota + 1, 8), Ct);
        var result = await CliRunner.RunAsync(["--config", Server.ServerConfig, "--user", "carol", "--no-progress", "upload", source, "/cli.bin"]);
        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.Contains("quota of user 'carol'", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(Server.DataObjects("carol"));

        await File.WriteAllBytesAsync(source, Random(5000, 9), Ct);
        var fits = await CliRunner.RunAsync(["--config", Server.ServerConfig, "--user", "carol", "--no-progress", "upload", source, "/cli.bin"]);
        Assert.True(fits.ExitCode == 0, fits.ToString());
        var unknown = await CliRunner.RunAsync(["--config", Server.ServerConfig, "--user", "mallory", "ls", "/"]);
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("no such user", unknown.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_carry_each_users_usage_and_quota_and_refuse_the_users_themselves()
    {
        using var carol = Server.Client("carol");
        Assert.Equal(HttpStatusCode.Created, (await carol.PutAsync("m.bin", new ByteArrayContent(Random(4096, 11)), Ct)).StatusCode);
        using var scraper = new HttpClient();
        scraper.DefaultRequestHeaders.Authorization = UserServer.Basic("eve", UserServer.Password);
        var text = await scraper.GetStringAsync(Server.Server.MetricsUrl, Ct);
        var series = new PrometheusText(text);
        Assert.Equal(Quota, series["rclonepool_user_quota_bytes{user=\"carol\"}"]);
        Assert.Equal(4096, series["rclonepool_user_used_bytes{user=\"carol\"}"]);
        Assert.Equal(1, series["rclonepool_user_pool_open{user=\"carol\"}"]);
        Assert.Equal(0, series["rclonepool_user_quota_bytes{user=\"alice\"}"]);
        Assert.True(series["rclonepool_user_upload_bytes_total{user=\"carol\"}"] >= 4096);

        using var asUser = new HttpClient();
        asUser.DefaultRequestHeaders.Authorization = UserServer.Basic("carol", UserServer.Password);
        Assert.Equal(HttpStatusCode.Forbidden, (await asUser.GetAsync(Server.Server.MetricsUrl, Ct)).StatusCode);
    }

    private async Task<JsonNode> StatsAsync()
    {
        using var carol = Server.Client("carol");
        return JsonNode.Parse(await carol.GetStringAsync("/_rclonepool/api/v1/stats", Ct))!;
    }

    private async ValueTask EmptyCarolAsync()
    {
        using var carol = Server.Client("carol");
        using var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), "");
        request.Headers.Add("Depth", "1");
        using var listing = await carol.SendAsync(request, Ct);
        var body = await listing.Content.ReadAsStringAsync(Ct);
        foreach (var href in System.Text.RegularExpressions.Regex.Matches(body, "<[a-zA-Z]*:?href>([^<]+)</").Select(m => m.Groups[1].Value).Where(h => h.Trim('/').Length > 0))
        {
            using var deleted = await carol.DeleteAsync(new Uri(Server.Server.Url, href), Ct);
        }
    }

    private static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>A body HttpClient must send chunked: it cannot tell its length.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
