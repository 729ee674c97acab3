using System.Net;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Server.Metrics;
using RclonePool.Tests.Integration.Auth;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Metrics;

/// <summary>
/// The Prometheus endpoint (<c>enable_metrics</c>): a real server over a real pool on rclone, scraped on its second
/// listener after real WebDAV traffic, the output checked by <c>promtool check metrics</c> (Debian's prometheus).
/// </summary>
public sealed class MetricsTests
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<RunningServer> StartAsync(RealPool real, IRequestAuthenticator? authenticator = null) =>
        PoolServer.StartAsync(real.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0, Metrics = new MetricsOptions { Port = 0 }, Authenticator = authenticator }, cancellationToken: Ct);

    private static async Task<PrometheusText> ScrapeAsync(RunningServer server, string? authorization = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, server.MetricsUrl);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return new PrometheusText(await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task After_an_upload_and_a_download_the_scrape_passes_promtool_and_counts_them()
    {
        var promtool = Tools.Require("promtool");
        await using var real = await RealPool.OpenAsync(remotes: 3, chunkSize: MiB);
        await using var server = await StartAsync(real);
        Assert.NotNull(server.MetricsUrl);
        Assert.NotEqual(server.Url.Port, server.MetricsUrl.Port);
        Assert.Equal("/metrics", server.MetricsUrl.AbsolutePath);
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(2) };
        var data = LocalPool.RandomBytes((3 * MiB) + 4321, 9);
        using (var put = await http.PutAsync("film.bin", new ByteArrayContent(data), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal(data, await http.GetByteArrayAsync("film.bin", Ct));
        real.Pool.Events.Publish(new PoolEvent { Type = PoolEventType.RemoteError, Remote = real.Pool.Remotes[0].Name, Operation = "write", ErrorKind = PoolErrorKind.Transient, Detail = "a test's failure" });

        var scrape = await ScrapeAsync(server);

        var file = Path.Combine(real.Root, "scrape.txt");
        await File.WriteAllTextAsync(file, scrape.Text, Ct);
        var (exit, stdout, stderr) = await Tools.RunAsync("sh", ["-c", "\"$0\" check metrics < \"$1\"", promtool, file]);
        TestContext.Current.TestOutputHelper?.WriteLine($"promtool check metrics: exit {exit} {stdout}{stderr}");
        Assert.True(exit == 0, $"promtool check metrics failed: {stdout}{stderr}\n{scrape.Text}");

        Assert.True(scrape["rclonepool_upload_bytes_total"] >= data.Length);
        Assert.True(scrape["rclonepool_download_bytes_total"] >= data.Length);
        Assert.Equal(1, scrape["rclonepool_operations_total{operation=\"upload\"}"]);
        Assert.Equal(1, scrape["rclonepool_operations_total{operation=\"download\"}"]);
        Assert.Equal(0, scrape["rclonepool_operations_total{operation=\"delete\"}"]);
        Assert.Equal(1, scrape[$"rclonepool_remote_errors_total{{remote=\"{real.Pool.Remotes[0].Name}\",kind=\"transient\"}}"]);
        Assert.Equal(1, scrape["rclonepool_index_files"]);
        Assert.Equal(data.Length, scrape["rclonepool_index_bytes"]);
        Assert.Equal(4, scrape.Of("rclonepool_remote_objects").Sum(s => s.Value)); // 4 chunks, one copy each
        Assert.Equal(data.Length, scrape.Of("rclonepool_remote_used_bytes").Sum(s => s.Value));
        foreach (var remote in real.Pool.Remotes)
        {
            Assert.True(scrape[$"rclonepool_remote_free_bytes{{remote=\"{remote.Name}\"}}"] > 0);
            Assert.Equal(0, scrape[$"rclonepool_remote_circuit_state{{remote=\"{remote.Name}\"}}"]);
        }

        Assert.Equal(1, scrape["rclonepool_http_request_duration_seconds_count{route=\"webdav\",method=\"PUT\",status=\"201\"}"]);
        Assert.Equal(1, scrape["rclonepool_http_request_duration_seconds_count{route=\"webdav\",method=\"GET\",status=\"200\"}"]);
        Assert.True(scrape.Has("rclonepool_chunk_cache_hits_total") && scrape.Has("rclonepool_chunk_cache_misses_total"));
    }

    [Fact]
    public async Task The_metrics_port_answers_only_GET_metrics_and_the_main_port_never_serves_them()
    {
        await using var real = await RealPool.OpenAsync(remotes: 1);
        await using var server = await StartAsync(real);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using (var other = await client.GetAsync(new Uri(server.MetricsUrl!, "/"), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        }

        using (var put = await client.PutAsync(server.MetricsUrl, new ByteArrayContent([1]), Ct))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, put.StatusCode);
        }

        using (var main = await client.GetAsync(new Uri(server.Url, "/metrics"), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, main.StatusCode); // WebDAV: no such file in the pool
        }

        // Two servers in one process keep their own figures.
        await using var other2 = await RealPool.OpenAsync(remotes: 1);
        await using var second = await StartAsync(other2);
        using (var put = await client.PutAsync(new Uri(server.Url, "/x"), new ByteArrayContent(new byte[1000]), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.Equal(1000, (await ScrapeAsync(server))["rclonepool_upload_bytes_total"]);
        Assert.Equal(0, (await ScrapeAsync(second))["rclonepool_upload_bytes_total"]);
    }

    [Fact]
    public async Task With_authentication_on_a_scrape_needs_credentials()
    {
        await using var real = await RealPool.OpenAsync(remotes: 1);
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.ApiKey, Credentials = AuthFixtures.Store() }, LoggerFactory.Create(_ => { }));
        await using var server = await StartAsync(real, authenticator);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using (var anonymous = await client.GetAsync(server.MetricsUrl, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, server.MetricsUrl);
        request.Headers.Add("X-API-Key", AuthFixtures.Key);
        using var scraped = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.Contains("rclonepool_upload_bytes_total 0", await scraped.Content.ReadAsStringAsync(Ct));
    }
}
