using System.Net;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Users;

/// <summary><c>rclonepool serve</c> and <c>api</c> with a users section, as the real executable.</summary>
public sealed class UserServeCommandTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "rclonepool-users-cli-" + Guid.NewGuid().ToString("N")[..10]);
    private string _config = string.Empty;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _config = await UserServer.WriteConfigsAsync(_root, new Dictionary<string, (long, long)> { ["bob"] = (4096, 0) });

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Serve_with_a_users_section_gives_each_user_their_own_pool_and_quota()
    {
        await using var serve = CliProcess.Start(["--config", _config, "serve", "--port", "0"], new Dictionary<string, string>());
        var line = await serve.WaitForLineAsync(l => l.StartsWith("serve: WebDAV on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var url = new Uri(line["serve: WebDAV on ".Length..].Split(' ')[0]);
        using var alice = Client(url, "alice");
        using var bob = Client(url, "bob");
        using var eve = Client(url, "eve");

        Assert.Equal(HttpStatusCode.Created, (await alice.PutAsync("alice.txt", new ByteArrayContent(new byte[5000]), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("alice.txt", Ct)).StatusCode);
        using (var over = await bob.PutAsync("bob.txt", new ByteArrayContent(new byte[5000]), Ct))
        {
            Assert.Equal(HttpStatusCode.InsufficientStorage, over.StatusCode);
        }

        var stats = JsonNode.Parse(await bob.GetStringAsync("/_rclonepool/api/v1/stats", Ct))!;
        Assert.Equal(4096, (long)stats["quota"]!["quota_bytes"]!);
        Assert.Equal(HttpStatusCode.Forbidden, (await eve.GetAsync("", Ct)).StatusCode);
        var (exit, stderr) = await serve.SignalAndWaitAsync(2, TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, stderr);
        Assert.Contains("serve: 3 users, each with a pool of their own at / (users section; pools open on first use): alice, bob, carol", serve.Lines);
    }

    [Fact]
    public async Task Serve_with_users_and_no_authentication_is_refused_saying_what_to_set()
    {
        var result = await CliRunner.RunAsync(["--config", _config, "serve", "--auth", "none", "--port", "0"]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("authentication is off", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("webdav_auth_method", result.StdErr, StringComparison.Ordinal);
    }

    private static HttpClient Client(Uri url, string user)
    {
        var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = UserServer.Basic(user, UserServer.Password);
        return client;
    }
}
