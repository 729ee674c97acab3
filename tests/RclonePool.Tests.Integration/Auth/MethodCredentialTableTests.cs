using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Paths;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Auth;

/// <summary>
/// Every WebDAV method, without credentials, with wrong ones and with the right ones, against real Kestrel on
/// 127.0.0.1: only the right ones get past authentication, and the refused requests change nothing.
/// </summary>
public sealed class MethodCredentialTableTests
{
    private const string PropPatchBody = """<?xml version="1.0"?><d:propertyupdate xmlns:d="DAV:" xmlns:z="urn:t"><d:set><d:prop><z:p>v</z:p></d:prop></d:set></d:propertyupdate>""";
    private const string LockBody = """<?xml version="1.0"?><d:lockinfo xmlns:d="DAV:"><d:lockscope><d:exclusive/></d:lockscope><d:locktype><d:write/></d:locktype></d:lockinfo>""";

    /// <summary>The requests in an order where each right one succeeds: method, path, body, headers, status with the right credentials.</summary>
    private static readonly (string Method, string Path, string? Body, (string, string)[] Headers, HttpStatusCode Right)[] Requests =
    [
        ("OPTIONS", "/", null, [], HttpStatusCode.OK),
        ("PROPFIND", "/", null, [("Depth", "1")], HttpStatusCode.MultiStatus),
        ("PUT", "/g.txt", "new", [], HttpStatusCode.Created),
        ("GET", "/f.txt", null, [], HttpStatusCode.OK),
        ("HEAD", "/f.txt", null, [], HttpStatusCode.OK),
        ("PROPPATCH", "/f.txt", PropPatchBody, [], HttpStatusCode.MultiStatus),
        ("MKCOL", "/d", null, [], HttpStatusCode.Created),
        ("COPY", "/f.txt", null, [("Destination", "/c.txt")], HttpStatusCode.Created),
        ("MOVE", "/c.txt", null, [("Destination", "/m.txt")], HttpStatusCode.Created),
        ("LOCK", "/m.txt", LockBody, [("Timeout", "Second-60")], HttpStatusCode.OK),
        ("UNLOCK", "/m.txt", null, [("Lock-Token", "<LOCKTOKEN>")], HttpStatusCode.NoContent),
        ("DELETE", "/m.txt", null, [], HttpStatusCode.NoContent),
        ("POST", "/f.txt", "x", [], HttpStatusCode.MethodNotAllowed),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Methods() => ["basic", "bearer", "api_key"];

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Every_method_needs_the_right_credentials(string method)
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var pool = new InMemoryPoolFileSystem();
        var throttle = new ThrottleOptions { FailuresBeforeSlowing = 1000, FailuresBeforeRefusing = 1000 };
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethods.Parse(method), Credentials = AuthFixtures.Store(), Throttle = throttle }, factory);
        await using var server = await ServerUnderTest.StartAsync(new ServerOptions { Authenticator = authenticator }, pool, factory);
        var (right, wrong) = method switch
        {
            "basic" => (("Authorization", AuthFixtures.Basic(AuthFixtures.User, AuthFixtures.Password)), ("Authorization", AuthFixtures.Basic(AuthFixtures.User, AuthFixtures.WrongPassword))),
            "bearer" => (("Authorization", "Bearer " + AuthFixtures.Key), ("Authorization", "Bearer " + ApiKey.Generate())),
            _ => (("X-API-Key", AuthFixtures.Key), ("X-API-Key", ApiKey.Generate())),
        };
        var challenge = method switch
        {
            "basic" => "Basic realm=\"rclonepool\", charset=\"UTF-8\"",
            "bearer" => "Bearer realm=\"rclonepool\"",
            _ => "ApiKey realm=\"rclonepool\", header=\"X-API-Key\"",
        };
        using (var seed = await SendAsync(server, "PUT", "/f.txt", "old", [right]))
        {
            Assert.Equal(HttpStatusCode.Created, seed.StatusCode);
        }

        var table = new StringBuilder($"{method}: method    | none | wrong | right\n");
        string? lockToken = null;
        foreach (var (verb, path, body, headers, expected) in Requests)
        {
            var fixedHeaders = headers.Select(h => h.Item2 == "<LOCKTOKEN>" ? (h.Item1, lockToken ?? "<none>") : h).ToArray();
            var before = await SnapshotAsync(pool);
            using var none = await SendAsync(server, verb, path, body, fixedHeaders);
            using var bad = await SendAsync(server, verb, path, body, [.. fixedHeaders, wrong]);
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
            Assert.Equal(challenge, none.Headers.WwwAuthenticate.ToString());
            Assert.StartsWith(challenge.Split(',')[0], bad.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Equal(before, await SnapshotAsync(pool));

            using var good = await SendAsync(server, verb, path, body, [.. fixedHeaders, right]);
            Assert.True(expected == good.StatusCode, $"{verb} {path} with the right credentials: {(int)good.StatusCode}, expected {(int)expected}");
            lockToken ??= good.Headers.TryGetValues("Lock-Token", out var tokens) ? tokens.First() : null;
            table.Append(System.Globalization.CultureInfo.InvariantCulture, $"{verb,-9} | {(int)none.StatusCode}  | {(int)bad.StatusCode}   | {(int)good.StatusCode}\n");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(table.ToString());
        Assert.Equal("/d/ 0\n/f.txt 3 {urn:t}p\n/g.txt 3", await SnapshotAsync(pool));
        var logged = string.Join('\n', logs.Entries.Select(e => e.Message));
        foreach (var secret in AuthFixtures.Secrets())
        {
            Assert.DoesNotContain(secret, logged, StringComparison.Ordinal);
        }

        Assert.Single(logs.Entries, e => e.Id.Id == 1101);
    }

    [Fact]
    public async Task Health_endpoints_answer_without_credentials_and_reveal_nothing_else()
    {
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Basic, Credentials = AuthFixtures.Store() }, LoggerFactory.Create(_ => { }));
        var pool = new InMemoryPoolFileSystem();
        await using var server = await ServerUnderTest.StartAsync(new ServerOptions { Authenticator = authenticator }, pool);

        using var alive = await server.Client.GetAsync("/healthz", Ct);
        using var ready = await server.Client.GetAsync("/readyz", Ct);
        using var head = await SendAsync(server, "HEAD", "/healthz", null, []);
        using var propfind = await SendAsync(server, "PROPFIND", "/healthz", null, []);
        using var other = await server.Client.GetAsync("/healthz/x", Ct);

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal("ok\n", await alive.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready\n", await ready.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, propfind.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    /// <summary>Every entry of the pool with its size, and the dead properties of /f.txt: what a refused request must not change.</summary>
    private static async Task<string> SnapshotAsync(InMemoryPoolFileSystem pool)
    {
        var lines = new List<string>();
        await foreach (var entry in pool.ListAsync(PoolPath.Root, recursive: true, Ct))
        {
            lines.Add((entry.IsDirectory ? $"{entry.Path}/ 0" : $"{entry.Path} {entry.Size}") + string.Concat(entry.Properties.Keys.Select(k => " " + k)));
        }

        return string.Join('\n', lines);
    }

    private static Task<HttpResponseMessage> SendAsync(ServerUnderTest server, string method, string path, string? body, (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(server.Url, path.TrimStart('/')));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, body.StartsWith('<') ? "application/xml" : "text/plain");
        }

        foreach (var (name, value) in headers)
        {
            var resolved = name == "Destination" ? new Uri(server.Url, value.TrimStart('/')).ToString() : value;
            request.Headers.TryAddWithoutValidation(name, resolved);
        }

        return server.Client.SendAsync(request, Ct);
    }
}
