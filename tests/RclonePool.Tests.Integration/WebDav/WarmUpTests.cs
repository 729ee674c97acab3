using Microsoft.Extensions.Logging;
using RclonePool.Core.Paths;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Tests.Integration.Auth;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// <see cref="ServerOptions.WarmUp"/>: before it listens, the server runs its WebDAV paths on a scratch pool under
/// temp_dir; every warm-up request succeeds, the served pool is left as it was and the scratch pool is removed.
/// </summary>
public sealed class WarmUpTests
{
    [Fact]
    public async Task The_warm_up_runs_on_a_scratch_pool_and_leaves_the_served_pool_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var real = await RealPool.OpenAsync(daemon: false);
        await using (var content = new MemoryStream("kept"u8.ToArray()))
        {
            await real.Pool.PutAsync(PoolPath.Parse("/kept.txt"), content, 4, new Core.Pool.PutOptions(), ct);
        }

        var objectsBefore = Directory.GetFiles(Path.Combine(real.Root, "remotes"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));

        await using var server = await PoolServer.StartAsync(real.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0, WarmUp = true }, loggers, ct);

        Assert.Contains(logs.Entries, e => e.Id.Id == 1021); // warmed up
        Assert.DoesNotContain(logs.Entries, e => e.Id.Id == 1022); // no request of the warm-up failed
        // Over loopback, through the whole pipeline: /healthz, then the scratch listing twice (without and with a body).
        Assert.Contains(logs.Entries, e => e.Id.Id == 1023 && e.Message.Contains("HTTP/1.1 200 OK, HTTP/1.1 207 Multi-Status, HTTP/1.1 207 Multi-Status", StringComparison.Ordinal));
        Assert.Equal(objectsBefore, Directory.GetFiles(Path.Combine(real.Root, "remotes"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList());
        var tmp = Path.Combine(real.Root, "tmp");
        Assert.Empty(Directory.Exists(tmp) ? Directory.GetDirectories(tmp, "warm-up-*") : []);
        var listed = new List<string>();
        await foreach (var entry in real.Pool.ListAsync(PoolPath.Root, recursive: true, ct))
        {
            listed.Add(entry.Path.Value);
        }

        Assert.Equal(["/kept.txt"], listed);
        using var client = new HttpClient { BaseAddress = server.Url };
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), "/") { Headers = { { "Depth", "1" } } }, ct);
        Assert.Equal(207, (int)response.StatusCode);
        Assert.Contains("kept.txt", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_authentication_the_warm_up_lists_the_scratch_pool_and_afterwards_its_route_is_closed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var real = await RealPool.OpenAsync(daemon: false);
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Basic, Credentials = AuthFixtures.Store() }, loggers);
        var options = new ServerOptions { Host = "127.0.0.1", Port = 0, WarmUp = true, Authenticator = authenticator };

        await using var server = await PoolServer.StartAsync(real.Pool, options, loggers, ct);

        Assert.Contains(logs.Entries, e => e.Id.Id == 1023 && e.Message.Contains("HTTP/1.1 200 OK, HTTP/1.1 207 Multi-Status, HTTP/1.1 207 Multi-Status", StringComparison.Ordinal));
        using var client = new HttpClient { BaseAddress = server.Url };
        using var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), "/warm/listing/")
        {
            Headers = { { "Depth", "1" }, { "X-RclonePool-Warm-Up", new string('0', 64) } },
        };
        using var response = await client.SendAsync(request, ct);
        Assert.Equal(401, (int)response.StatusCode); // the header admits nothing once the server is ready
    }

    [Fact]
    public async Task Without_authentication_the_scratch_listing_is_not_reachable_once_the_server_is_ready()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var real = await RealPool.OpenAsync(daemon: false);
        await using var server = await PoolServer.StartAsync(real.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0, WarmUp = true }, null, ct);
        using var client = new HttpClient { BaseAddress = server.Url };
        using var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), "/warm/listing/")
        {
            Headers = { { "Depth", "1" }, { "X-RclonePool-Warm-Up", new string('0', 64) } },
        };
        using var response = await client.SendAsync(request, ct);
        Assert.Equal(404, (int)response.StatusCode); // the served pool's answer: it has no such directory
    }
}
