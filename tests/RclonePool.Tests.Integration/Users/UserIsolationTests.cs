using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Live;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Users;

/// <summary>The server of this class: started once for its tests.</summary>
public sealed class UserServerFixture : IAsyncLifetime
{
    public UserServer Users { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Users = await UserServer.StartAsync();

    public async ValueTask DisposeAsync() => await Users.DisposeAsync();
}

/// <summary>
/// The isolation matrix of a multi-user server: every user against every other over WebDAV (PROPFIND, GET, PUT,
/// DELETE, MOVE, path tricks), the REST API (files, content, jobs) and the WebSocket feed, on real pools.
/// </summary>
public sealed class UserIsolationTests(UserServerFixture fixture) : IClassFixture<UserServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private UserServer Server => fixture.Users;

    public static TheoryData<string, string> Pairs()
    {
        var pairs = new TheoryData<string, string>();
        foreach (var actor in UserServer.Names)
        {
            foreach (var victim in UserServer.Names.Where(v => v != actor))
            {
                pairs.Add(actor, victim);
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Over_WebDAV_a_user_never_reaches_another_users_files(string actor, string victim)
    {
        using var victimClient = Server.Client(victim);
        using var actorClient = Server.Client(actor);
        var dir = $"iso-{actor}-{victim}";
        var secret = $"/{dir}/secret.txt";
        var content = Encoding.UTF8.GetBytes($"{victim}'s secret for {actor} {Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(victimClient, "MKCOL", $"/{dir}")).Status);
        await PutAsync(victimClient, secret, content, HttpStatusCode.Created);

        // Listing: the victim's directory is not in the actor's root.
        var listing = await SendAsync(actorClient, "PROPFIND", "/", ("Depth", "1"));
        Assert.Equal(HttpStatusCode.MultiStatus, listing.Status);
        Assert.DoesNotContain(dir, listing.Body, StringComparison.Ordinal);
        Assert.Contains(dir, (await SendAsync(victimClient, "PROPFIND", "/", ("Depth", "1"))).Body, StringComparison.Ordinal);

        // Reads by path, and by every spelling that could climb out of the actor's pool.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(actorClient, "GET", secret)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(actorClient, "PROPFIND", secret, ("Depth", "0"))).Status);
        var authorization = "Authorization: " + UserServer.Basic(actor, UserServer.Password);
        foreach (var target in new[]
        {
            $"/x/../{dir}/secret.txt", $"/%2e%2e/{dir}/secret.txt", $"/..%2f{dir}%2fsecret.txt", $"/%2f{dir}%2fsecret.txt", $"//{dir}/secret.txt",
            $"/{victim}/{dir}/secret.txt", $"/../{victim}/{dir}/secret.txt", $"/_rclonepool/../{dir}/secret.txt", $"/{dir}%2fsecret.txt",
            $"http://{Server.Server.Url.Authority}/{dir}/secret.txt", $"/{dir}/./secret.txt", $"/{dir}/secret.txt%00",
        })
        {
            var status = await RawHttp.SendAsync(Server.Server.Url, RawHttp.Head("GET", target, Server.Server.Url, authorization));
            Assert.True(status is 400 or 403 or 404, $"GET {target} as {actor} answered {status}");
        }

        // Changes by path land in the actor's own pool, never in the victim's.
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(actorClient, "DELETE", secret)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(actorClient, "MOVE", secret, ("Destination", new Uri(Server.Server.Url, $"/{dir}/stolen.txt").ToString()))).Status);
        await PutAsync(actorClient, $"/{actor}-own-{victim}.txt", "mine"u8.ToArray(), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(actorClient, "MKCOL", $"/{dir}")).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(actorClient, "MOVE", $"/{actor}-own-{victim}.txt", ("Destination", new Uri(Server.Server.Url, secret).ToString()))).Status);
        await PutAsync(actorClient, secret, "overwritten?"u8.ToArray(), HttpStatusCode.NoContent);
        Assert.Equal("overwritten?", Encoding.UTF8.GetString(await actorClient.GetByteArrayAsync(secret.TrimStart('/'), Ct)));
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(actorClient, "DELETE", $"/{dir}")).Status);

        Assert.Equal(content, await victimClient.GetByteArrayAsync(secret.TrimStart('/'), Ct));
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Over_the_API_a_user_never_reaches_another_users_files_or_jobs(string actor, string victim)
    {
        using var victimClient = Api(victim);
        using var actorClient = Api(actor);
        var path = $"api-{actor}-{victim}/secret.bin";
        using (var form = new MultipartFormDataContent { { new StringContent("/" + path), "remote_path" }, { new ByteArrayContent(new byte[1000]), "file", "secret.bin" } })
        {
            Assert.Equal(HttpStatusCode.Created, (await victimClient.PostAsync("files", form, Ct)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await actorClient.GetAsync($"files/{path}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await actorClient.GetAsync($"content/{path}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await actorClient.DeleteAsync($"files/{path}", Ct)).StatusCode);
        var listing = await (await actorClient.GetAsync("files?recursive=true", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain($"api-{actor}-{victim}", listing, StringComparison.Ordinal);
        var stats = JsonNode.Parse(await actorClient.GetStringAsync("stats", Ct))!;
        Assert.DoesNotContain($"api-{actor}-{victim}", stats.ToJsonString(), StringComparison.Ordinal);

        // A job of the victim: its id means nothing to the actor (404 as for an id that never existed, so ids do not leak).
        using var started = await victimClient.PostAsync("verify", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (string)JsonNode.Parse(await started.Content.ReadAsStringAsync(Ct))!["id"]!;
        Assert.Equal(HttpStatusCode.NotFound, (await actorClient.GetAsync($"jobs/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await actorClient.DeleteAsync($"jobs/{id}", Ct)).StatusCode);
        Assert.DoesNotContain(id, await actorClient.GetStringAsync("jobs", Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await victimClient.GetAsync($"jobs/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victimClient.GetAsync($"files/{path}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Over_the_WebSocket_a_user_never_hears_of_another_users_events()
    {
        var feeds = new Dictionary<string, FeedClient>();
        try
        {
            foreach (var user in UserServer.Names)
            {
                var feed = await FeedClient.ConnectAsync(Server.Server.Url, "Basic " + UserServer.Basic(user, UserServer.Password).Parameter);
                await feed.SubscribeAsync("files");
                await feed.WaitForAsync(m => FeedClient.Is(m, "subscribed", "files"), "subscribed");
                feeds[user] = feed;
            }

            // Each user stores a marker in turn and hears of it; what arrived before it must be their own.
            foreach (var user in UserServer.Names)
            {
                using var client = Server.Client(user);
                await PutAsync(client, $"/ws-{user}.txt", Encoding.UTF8.GetBytes(user), HttpStatusCode.Created);
                var (_, before) = await feeds[user].WaitForAsync(m => FeedClient.IsFileEvent(m, "POST_UPLOAD", $"/ws-{user}.txt"), $"{user}'s own upload event");
                Assert.All(before, m => Assert.DoesNotContain(UserServer.Names.Where(u => u != user), other => m.GetRawText().Contains($"-{other}.txt", StringComparison.Ordinal)));
            }

            foreach (var user in UserServer.Names)
            {
                // A last marker of the user's own, then nothing of the others may have come in between.
                using var client = Server.Client(user);
                await PutAsync(client, $"/ws-end-{user}.txt", Encoding.UTF8.GetBytes(user), HttpStatusCode.Created);
                var (_, between) = await feeds[user].WaitForAsync(m => FeedClient.IsFileEvent(m, "POST_UPLOAD", $"/ws-end-{user}.txt"), $"{user}'s last marker");
                Assert.All(between, m => Assert.DoesNotContain(UserServer.Names.Where(u => u != user), other => m.GetRawText().Contains($"-{other}.txt", StringComparison.Ordinal)));
            }
        }
        finally
        {
            foreach (var feed in feeds.Values)
            {
                await feed.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_signed_in_name_without_a_pool_is_refused_and_wrong_passwords_are_not_let_in()
    {
        using var eve = Server.Client("eve");
        var refused = await eve.GetAsync("", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("has no pool on this server", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var wrong = Server.Client("alice", "not-it");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("", Ct)).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = Server.Server.Url };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz", Ct)).StatusCode);
    }

    private HttpClient Api(string user)
    {
        var client = Server.Client(user);
        client.BaseAddress = new Uri(Server.Server.Url, "/_rclonepool/api/v1/");
        return client;
    }

    private static async Task PutAsync(HttpClient client, string path, byte[] content, HttpStatusCode expected)
    {
        using var response = await client.PutAsync(path.TrimStart('/'), new ByteArrayContent(content), Ct);
        Assert.True(expected == response.StatusCode, $"PUT {path}: {response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, string method, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }
}
