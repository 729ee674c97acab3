using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Events;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Server.Live;
using RclonePool.Tests.Integration.Auth;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Live;

/// <summary>
/// The WebSocket event feed of <c>serve</c> (<c>/_rclonepool/ws</c>) with a real ClientWebSocket, against a real server
/// over a real pool on rclone (local directories as remotes), files sent through WebDAV.
/// </summary>
public sealed class LiveFeedTests
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<RunningServer> StartAsync(RealPool real, ServerOptions? options = null, ILoggerFactory? logs = null) =>
        PoolServer.StartAsync(real.Pool, (options ?? new ServerOptions()) with { Host = "127.0.0.1", Port = 0 }, logs, Ct);

    private static HttpClient Client(RunningServer server, string? authorization = null)
    {
        var client = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromMinutes(2) };
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        return client;
    }

    private static async Task<TimeSpan> PutAsync(HttpClient client, string path, byte[] data)
    {
        var watch = Stopwatch.StartNew();
        using var response = await client.PutAsync(path.TrimStart('/'), new ByteArrayContent(data), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return watch.Elapsed;
    }

    [Fact]
    public async Task A_WebDAV_upload_and_download_show_progress_file_events_and_stats()
    {
        await using var real = await RealPool.OpenAsync(remotes: 3, chunkSize: MiB);
        await using var server = await StartAsync(real);
        using var http = Client(server);
        await using var feed = await FeedClient.ConnectAsync(server.Url);

        foreach (var topic in new[] { "upload_progress", "download_progress", "files", "stats" })
        {
            await feed.SubscribeAsync(topic);
            var (reply, _) = await feed.WaitForAsync(m => FeedClient.Is(m, "subscribed", topic), $"the reply to subscribe {topic}");
            Assert.Contains(topic, reply.GetProperty("data").GetProperty("topics").EnumerateArray().Select(t => t.GetString()));
        }

        var data = LocalPool.RandomBytes(6 * MiB, 16);
        await PutAsync(http, "/movie.bin", data);

        var (posted, before) = await feed.WaitForAsync(m => FeedClient.IsFileEvent(m, "POST_UPLOAD", "/movie.bin"), "POST_UPLOAD of /movie.bin");
        Assert.Equal(data.Length, posted.GetProperty("data").GetProperty("size").GetInt64());
        Assert.Contains(before, m => FeedClient.IsFileEvent(m, "PRE_UPLOAD", "/movie.bin"));
        var progress = before.Where(m => FeedClient.Is(m, "event", "upload_progress")).Select(m => m.GetProperty("data")).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, p => Assert.Equal(("/movie.bin", (long)data.Length, "upload"), (p.GetProperty("path").GetString(), p.GetProperty("total_bytes").GetInt64(), p.GetProperty("operation").GetString())));
        Assert.Equal(data.Length, progress[^1].GetProperty("bytes").GetInt64()); // the latest wins, and the last one says done

        Assert.Equal(data, await http.GetByteArrayAsync("movie.bin", Ct));
        var (downloaded, beforeDownload) = await feed.WaitForAsync(m => FeedClient.IsFileEvent(m, "POST_DOWNLOAD", "/movie.bin"), "POST_DOWNLOAD of /movie.bin");
        var downloads = beforeDownload.Where(m => FeedClient.Is(m, "event", "download_progress")).Select(m => m.GetProperty("data")).ToList();
        Assert.NotEmpty(downloads);
        Assert.All(downloads, p => Assert.Equal(("/movie.bin", "download"), (p.GetProperty("path").GetString(), p.GetProperty("operation").GetString())));
        Assert.Equal(data.Length, downloads[^1].GetProperty("bytes").GetInt64());
        Assert.Equal(data.Length, downloaded.GetProperty("data").GetProperty("size").GetInt64());

        var (stats, _) = await feed.WaitForAsync(
            m => FeedClient.Is(m, "event", "stats") && m.GetProperty("data").GetProperty("download_bytes_total").GetInt64() >= data.Length,
            "stats counting the upload and the download");
        var figures = stats.GetProperty("data");
        Assert.True(figures.GetProperty("upload_bytes_total").GetInt64() >= data.Length);
        Assert.True(figures.GetProperty("operations_total").GetInt64() >= 2);
        foreach (var name in new[] { "upload_bytes_per_second", "download_bytes_per_second", "operations_per_second", "errors_per_second", "errors_total" })
        {
            Assert.True(figures.TryGetProperty(name, out _), name);
        }

        Assert.True(DateTimeOffset.Parse(stats.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task Unsubscribing_stops_the_events_of_that_topic()
    {
        await using var real = await RealPool.OpenAsync(remotes: 2, chunkSize: MiB);
        await using var server = await StartAsync(real);
        using var http = Client(server);
        await using var witness = await FeedClient.ConnectAsync(server.Url);
        await using var feed = await FeedClient.ConnectAsync(server.Url);
        foreach (var client in new[] { witness, feed })
        {
            await client.SubscribeAsync("files");
            await client.WaitForAsync(m => FeedClient.Is(m, "subscribed", "files"), "subscribed");
        }

        await PutAsync(http, "/a", [1, 2, 3]);
        await feed.WaitForAsync(m => FeedClient.IsFileEvent(m, "POST_UPLOAD", "/a"), "POST_UPLOAD of /a while subscribed");

        await feed.UnsubscribeAsync("files");
        var (reply, _) = await feed.WaitForAsync(m => FeedClient.Is(m, "unsubscribed", "files"), "the reply to unsubscribe");
        Assert.Empty(reply.GetProperty("data").GetProperty("topics").EnumerateArray());

        await PutAsync(http, "/b", [4, 5, 6]);
        await witness.WaitForAsync(m => FeedClient.IsFileEvent(m, "POST_UPLOAD", "/b"), "POST_UPLOAD of /b at the witness");

        // The feed offered /b's events to every subscriber before the witness got them; the queue keeps order.
        await feed.SubscribeAsync("health");
        var (_, between) = await feed.WaitForAsync(m => FeedClient.Is(m, "subscribed", "health"), "the marker reply");
        Assert.Empty(between);
    }

    [Fact]
    public async Task Malformed_messages_and_unknown_topics_get_an_error_message_and_the_connection_stays()
    {
        await using var real = await RealPool.OpenAsync(remotes: 1);
        await using var server = await StartAsync(real);
        await using var feed = await FeedClient.ConnectAsync(server.Url);

        async Task<string> ErrorFor(Func<Task> send)
        {
            await send();
            var (error, before) = await feed.WaitForAsync(m => FeedClient.Is(m, "error"), "an error reply");
            Assert.Empty(before);
            Assert.Equal(JsonValueKind.Null, error.GetProperty("topic").ValueKind);
            return error.GetProperty("data").GetProperty("detail").GetString()!;
        }

        Assert.Contains("not valid JSON", await ErrorFor(() => feed.SendTextAsync("subscribe me")));
        Assert.Contains("Unknown action 'dance'", await ErrorFor(() => feed.SendTextAsync("""{"action":"dance","topic":"files"}""")));
        Assert.Contains("Unknown action ''", await ErrorFor(() => feed.SendTextAsync("""{"topic":"files"}""")));
        var unknown = await ErrorFor(() => feed.SubscribeAsync("uploads"));
        Assert.Contains("Unknown topic 'uploads'", unknown);
        Assert.Contains("upload_progress, download_progress, verification, health, rebalance, remote_error, files, stats", unknown);
        Assert.Contains("Binary messages", await ErrorFor(() => feed.Socket.SendAsync(new byte[] { 1, 2 }, WebSocketMessageType.Binary, true, Ct)));
        Assert.Contains("longer than 4096 bytes", await ErrorFor(() => feed.SendTextAsync(new string(' ', 5000) + """{"action":"subscribe","topic":"files"}""")));
        Assert.Contains("not valid JSON", await ErrorFor(() => feed.SendTextAsync("[1, 2")));

        Assert.Equal(WebSocketState.Open, feed.Socket.State);
        await feed.SubscribeAsync("verification");
        await feed.WaitForAsync(m => FeedClient.Is(m, "subscribed", "verification"), "a subscribe after the bad messages");
    }

    [Fact]
    public async Task With_authentication_on_a_client_without_credentials_gets_401_and_one_with_them_is_served()
    {
        await using var real = await RealPool.OpenAsync(remotes: 1);
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Basic, Credentials = AuthFixtures.Store() }, LoggerFactory.Create(_ => { }));
        await using var server = await StartAsync(real, new ServerOptions { Authenticator = authenticator });

        var refused = await Assert.ThrowsAsync<WebSocketException>(() => FeedClient.ConnectAsync(server.Url));
        Assert.Contains("401", refused.Message);
        await Assert.ThrowsAsync<WebSocketException>(() => FeedClient.ConnectAsync(server.Url, AuthFixtures.Basic(AuthFixtures.User, AuthFixtures.WrongPassword)));

        await using var feed = await FeedClient.ConnectAsync(server.Url, AuthFixtures.Basic(AuthFixtures.User, AuthFixtures.Password));
        await feed.SubscribeAsync("files");
        await feed.WaitForAsync(m => FeedClient.Is(m, "subscribed", "files"), "subscribed");
        using var http = Client(server, AuthFixtures.Basic(AuthFixtures.User, AuthFixtures.Password));
        await PutAsync(http, "/secret.txt", Encoding.UTF8.GetBytes("hello"));
        await feed.WaitForAsync(m => FeedClient.IsFileEvent(m, "POST_UPLOAD", "/secret.txt"), "POST_UPLOAD");
    }

    [Fact]
    public async Task A_plain_GET_of_the_feed_gets_400_saying_it_is_a_WebSocket()
    {
        await using var real = await RealPool.OpenAsync(remotes: 1);
        await using var server = await StartAsync(real);
        using var http = Client(server);

        using var response = await http.GetAsync("_rclonepool/ws", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Stopping_the_server_closes_its_clients_with_1001()
    {
        await using var real = await RealPool.OpenAsync(remotes: 1);
        var server = await StartAsync(real);
        await using var feed = await FeedClient.ConnectAsync(server.Url);
        await feed.SubscribeAsync("files");
        await feed.WaitForAsync(m => FeedClient.Is(m, "subscribed"), "subscribed");

        var stopping = server.DisposeAsync().AsTask();
        Assert.Null(await feed.ReceiveAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, feed.Socket.CloseStatus);
        Assert.Contains("stopping", feed.Socket.CloseStatusDescription);
        await stopping;
    }

    [Fact]
    public async Task A_client_that_never_reads_is_closed_with_1008_and_the_upload_goes_on_at_speed()
    {
        await using var real = await RealPool.OpenAsync(remotes: 3, chunkSize: 4 * MiB);
        var live = new LiveOptions { QueueCapacity = 16, CloseTimeout = TimeSpan.FromSeconds(60) };
        await using var server = await StartAsync(real, new ServerOptions { Live = live });
        using var http = Client(server);
        var hub = LiveEndpoints.HubOf(server.Services);
        var data = LocalPool.RandomBytes(24 * MiB, 17);
        var baseline = await PutAsync(http, "/baseline.bin", data);

        await using var stuck = await FeedClient.ConnectAsync(server.Url, receiveBuffer: 4096);
        foreach (var topic in LiveTopics.All)
        {
            await stuck.SubscribeAsync(topic);
            await stuck.WaitForAsync(m => FeedClient.Is(m, "subscribed", topic), "subscribed");
        }

        // From here the client reads nothing. The pool gets busy: a burst of progress of many files (each its own
        // coalescing key) on the real pool's bus, while a real upload goes through WebDAV.
        var upload = PutAsync(http, "/during.bin", data);
        var longName = new string('x', 900);
        var burst = Task.Run(async () =>
        {
            for (var i = 0; i < 200_000 && hub.Lagging == 0; i++)
            {
                real.Pool.Events.Publish(new PoolEvent { Type = PoolEventType.Progress, Operation = "upload", Path = $"/burst/{i}/{longName}", Bytes = i, TotalBytes = 1L << 30 });
                if (i % 500 == 0)
                {
                    await Task.Yield();
                }
            }
        }, Ct);

        var during = await upload;
        await burst;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (hub.Lagging == 0 && hub.ClientCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(hub.Lagging == 1 || hub.ClientCount == 1, "the stuck client is still being served");
        var startedReading = DateTime.UtcNow;
        var read = 0;
        while (await stuck.ReceiveAsync(TimeSpan.FromSeconds(30)) is not null)
        {
            read++;
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, stuck.Socket.CloseStatus);
        Assert.Contains("too far behind", stuck.Socket.CloseStatusDescription);
        Assert.Equal(1, hub.Lagging);
        TestContext.Current.TestOutputHelper?.WriteLine($"stuck client read {read} messages after {(DateTime.UtcNow - startedReading).TotalSeconds:0.0} s before its close; upload of 24 MiB: {baseline.TotalSeconds:0.00} s alone, {during.TotalSeconds:0.00} s beside it");

        Assert.True(during < (baseline * 3) + TimeSpan.FromSeconds(2), $"the upload beside a stuck client took {during.TotalSeconds:0.00} s, alone {baseline.TotalSeconds:0.00} s");
        Assert.Equal(data, await http.GetByteArrayAsync("during.bin", Ct));
    }
}
