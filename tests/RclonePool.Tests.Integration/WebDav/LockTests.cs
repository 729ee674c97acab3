using System.Net;
using System.Text;
using System.Xml.Linq;
using RclonePool.Core.Paths;
using RclonePool.Server;
using RclonePool.Server.WebDav;
using RclonePool.Server.WebDav.Locking;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>LOCK, UNLOCK and the If header (RFC 4918 sections 6, 7, 9.10, 9.11, 10.4), with a clock the test moves.</summary>
public sealed class LockTests : IAsyncLifetime
{
    private static readonly XNamespace Dav = "DAV:";
    private readonly ManualClock _clock = new();
    private ServerUnderTest _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await ServerUnderTest.StartAsync(new ServerOptions { TimeProvider = _clock, MaxLockTimeout = TimeSpan.FromHours(2) });
        await _server.Client.PutAsync("f", new StringContent("v1"), Ct);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task An_exclusive_lock_blocks_others_until_unlocked_and_its_token_lets_the_owner_write()
    {
        var token = await LockAsync("f", "exclusive", "0", HttpStatusCode.OK);

        using var second = await LockResponseAsync("f", "shared", "0");
        using var put = await _server.Client.PutAsync("f", new StringContent("x"), Ct);
        using var delete = await _server.SendAsync("DELETE", "f");
        using var ownerPut = await _server.SendAsync("PUT", "f", new StringContent("v2"), ("If", $"(<{token}>)"));
        using var wrongUnlock = await _server.SendAsync("UNLOCK", "f", null, ("Lock-Token", "<opaquelocktoken:nope>"));
        using var unlock = await _server.SendAsync("UNLOCK", "f", null, ("Lock-Token", $"<{token}>"));
        using var after = await _server.Client.PutAsync("f", new StringContent("v3"), Ct);

        Assert.Equal(HttpStatusCode.Locked, second.StatusCode);
        Assert.NotNull(XDocument.Parse(await second.Content.ReadAsStringAsync(Ct)).Root!.Element(Dav + "no-conflicting-lock"));
        Assert.Equal(HttpStatusCode.Locked, put.StatusCode);
        Assert.NotNull(XDocument.Parse(await put.Content.ReadAsStringAsync(Ct)).Root!.Element(Dav + "lock-token-submitted"));
        Assert.Equal(HttpStatusCode.Locked, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, ownerPut.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, wrongUnlock.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, unlock.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, after.StatusCode);
    }

    [Fact]
    public async Task Shared_locks_coexist_and_either_token_allows_writing()
    {
        var first = await LockAsync("f", "shared", "0", HttpStatusCode.OK);
        var second = await LockAsync("f", "shared", "0", HttpStatusCode.OK);
        using var exclusive = await LockResponseAsync("f", "exclusive", "0");
        using var put = await _server.SendAsync("PUT", "f", new StringContent("x"), ("If", $"(<{second}>)"));

        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.Locked, exclusive.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
    }

    [Fact]
    public async Task A_depth_infinity_lock_on_a_collection_guards_its_members_and_new_members()
    {
        await _server.SendAsync("MKCOL", "c");
        await _server.Client.PutAsync("c/member", new StringContent("m"), Ct);
        var token = await LockAsync("c/", "exclusive", "infinity", HttpStatusCode.OK);
        var tag = new Uri(_server.Url, "c/").AbsoluteUri;

        using var memberPut = await _server.Client.PutAsync("c/member", new StringContent("x"), Ct);
        using var newMember = await _server.Client.PutAsync("c/new", new StringContent("x"), Ct);
        using var memberLock = await LockResponseAsync("c/member", "shared", "0");
        using var tagged = await _server.SendAsync("PUT", "c/new", new StringContent("x"), ("If", $"<{tag}> (<{token}>)"));
        using var moveOut = await _server.SendAsync("MOVE", "c/member", null, ("Destination", "/outside"));
        using var discovery = await _server.SendAsync("PROPFIND", "c/member", new StringContent(
            "<D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/></D:prop></D:propfind>", Encoding.UTF8, "application/xml"), ("Depth", "0"));

        Assert.Equal(HttpStatusCode.Locked, memberPut.StatusCode);
        Assert.Equal(HttpStatusCode.Locked, newMember.StatusCode);
        Assert.Equal(HttpStatusCode.Locked, memberLock.StatusCode);
        Assert.Equal(HttpStatusCode.Created, tagged.StatusCode);
        Assert.Equal(HttpStatusCode.Locked, moveOut.StatusCode);
        var active = XDocument.Parse(await discovery.Content.ReadAsStringAsync(Ct)).Descendants(Dav + "activelock").Single();
        Assert.Equal(token, active.Element(Dav + "locktoken")!.Value);
        Assert.Equal("infinity", active.Element(Dav + "depth")!.Value);
        Assert.EndsWith("/c", active.Element(Dav + "lockroot")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_on_a_collection_refuses_a_conflicting_lock_below_only_with_depth_infinity()
    {
        await _server.SendAsync("MKCOL", "c");
        await _server.Client.PutAsync("c/member", new StringContent("m"), Ct);
        await LockAsync("c/member", "exclusive", "0", HttpStatusCode.OK);

        using var deep = await LockResponseAsync("c/", "exclusive", "infinity");
        using var shallow = await LockResponseAsync("c/", "exclusive", "0");

        Assert.Equal(HttpStatusCode.Locked, deep.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shallow.StatusCode);
    }

    [Fact]
    public async Task Locks_expire_after_their_timeout_and_a_refresh_restarts_it()
    {
        var token = await LockAsync("f", "exclusive", "0", HttpStatusCode.OK, "Second-600");

        _clock.Advance(TimeSpan.FromSeconds(500));
        using var refresh = await _server.SendAsync("LOCK", "f", null, ("If", $"(<{token}>)"), ("Timeout", "Second-600"));
        _clock.Advance(TimeSpan.FromSeconds(500));
        using var stillLocked = await _server.Client.PutAsync("f", new StringContent("x"), Ct);
        _clock.Advance(TimeSpan.FromSeconds(101));
        using var expired = await _server.Client.PutAsync("f", new StringContent("x"), Ct);
        using var lateRefresh = await _server.SendAsync("LOCK", "f", null, ("If", $"(<{token}>)"));

        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
        Assert.Equal("Second-600", XDocument.Parse(await refresh.Content.ReadAsStringAsync(Ct)).Descendants(Dav + "timeout").Single().Value);
        Assert.Equal(HttpStatusCode.Locked, stillLocked.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, expired.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, lateRefresh.StatusCode);
    }

    [Theory]
    [InlineData("Infinite", "Second-7200")]
    [InlineData("Second-99999999999, Infinite", "Second-7200")]
    [InlineData("Extended, Second-30", "Second-30")]
    [InlineData(null, "Second-3600")]
    public async Task Timeouts_are_granted_up_to_the_maximum(string? requested, string granted)
    {
        using var response = await LockResponseAsync("f", "exclusive", "0", requested);

        Assert.Equal(granted, XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Descendants(Dav + "timeout").Single().Value);
    }

    [Fact]
    public async Task Locking_an_unmapped_url_creates_an_empty_file_with_201_and_the_owner_is_kept()
    {
        using var response = await LockResponseAsync("fresh.txt", "exclusive", "0", owner: "<D:href>mailto:me@example.com</D:href>");
        using var noParent = await LockResponseAsync("nowhere/fresh.txt", "exclusive", "0");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(_server.Pool.ReadAll(PoolPath.Parse("/fresh.txt"))!);
        var owner = XDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).Descendants(Dav + "owner").Single();
        Assert.Equal("mailto:me@example.com", owner.Element(Dav + "href")!.Value);
        Assert.Equal(HttpStatusCode.Conflict, noParent.StatusCode);
    }

    [Fact]
    public async Task Moving_or_deleting_a_locked_resource_with_its_token_drops_the_lock()
    {
        var token = await LockAsync("f", "exclusive", "0", HttpStatusCode.OK);
        using var moved = await _server.SendAsync("MOVE", "f", null, ("Destination", "/g"), ("If", $"(<{token}>)"));
        using var put = await _server.Client.PutAsync("g", new StringContent("free"), Ct);

        Assert.Equal(HttpStatusCode.Created, moved.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
    }

    [Fact]
    public async Task The_if_header_is_evaluated_with_etags_not_and_tags_and_fails_with_412()
    {
        var etag = (await _server.Client.GetAsync("f", Ct)).Headers.ETag!.Tag;
        var other = new Uri(_server.Url, "other").AbsoluteUri;

        using var etagMatch = await _server.SendAsync("PUT", "f", new StringContent("a"), ("If", $"([{etag}])"));
        using var etagStale = await _server.SendAsync("PUT", "f", new StringContent("b"), ("If", $"([{etag}])"));
        using var notNoLock = await _server.SendAsync("PUT", "f", new StringContent("c"), ("If", "(Not <DAV:no-lock>)"));
        using var noLock = await _server.SendAsync("PUT", "f", new StringContent("d"), ("If", "(<DAV:no-lock>)"));
        using var missingTag = await _server.SendAsync("PUT", "f", new StringContent("e"), ("If", $"<{other}> ([{etag}])"));
        using var foreignTag = await _server.SendAsync("PUT", "f", new StringContent("e"), ("If", "<http://elsewhere.example/f> (Not <DAV:no-lock>)"));
        using var malformed = await _server.SendAsync("PUT", "f", new StringContent("f"), ("If", "(<unclosed"));

        Assert.Equal(HttpStatusCode.NoContent, etagMatch.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, etagStale.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, notNoLock.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, noLock.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, missingTag.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, foreignTag.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("c", Encoding.UTF8.GetString(_server.Pool.ReadAll(PoolPath.Parse("/f"))!));
    }

    [Fact]
    public void If_header_parses_tagged_lists_negation_and_entity_tags()
    {
        var header = IfHeader.Parse("<http://h/a> (<opaquelocktoken:1> [\"e1\"]) (Not <DAV:no-lock> [W/\"e2\"])  <http://h/b>(<opaquelocktoken:2>)");

        Assert.Equal(3, header.Lists.Count);
        Assert.Equal(["http://h/a", "http://h/a", "http://h/b"], header.Lists.Select(l => l.ResourceTag));
        Assert.Equal(new IfCondition(false, null, "\"e1\""), header.Lists[0].Conditions[1]);
        Assert.Equal(new IfCondition(true, "DAV:no-lock", null), header.Lists[1].Conditions[0]);
        Assert.Equal("W/\"e2\"", header.Lists[1].Conditions[1].EntityTag);
        Assert.Equal(["opaquelocktoken:1", "opaquelocktoken:2"], header.SubmittedTokens);
    }

    [Theory]
    [InlineData("")]
    [InlineData("()")]
    [InlineData("(<a>) <http://h/b> (<c>)")]
    [InlineData("<http://h/a>")]
    [InlineData("(<a>")]
    [InlineData("([unquoted])")]
    [InlineData("(Nope <a>)")]
    [InlineData("<a> <b> (<c>)")]
    public void Malformed_if_headers_are_refused_with_400(string value)
    {
        var error = Assert.Throws<DavException>(() => IfHeader.Parse(value));
        Assert.Equal(400, error.Status);
    }

    private async Task<string> LockAsync(string path, string scope, string depth, HttpStatusCode expected, string? timeout = null)
    {
        using var response = await LockResponseAsync(path, scope, depth, timeout);
        Assert.Equal(expected, response.StatusCode);
        var token = response.Headers.GetValues("Lock-Token").Single().Trim('<', '>');
        Assert.StartsWith("opaquelocktoken:", token, StringComparison.Ordinal);
        return token;
    }

    private Task<HttpResponseMessage> LockResponseAsync(string path, string scope, string depth, string? timeout = null, string owner = "tests")
    {
        var body = $"<D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:{scope}/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner>{owner}</D:owner></D:lockinfo>";
        var headers = new List<(string, string)> { ("Depth", depth) };
        if (timeout is not null)
        {
            headers.Add(("Timeout", timeout));
        }

        return _server.SendAsync("LOCK", path, new StringContent(body, Encoding.UTF8, "application/xml"), [.. headers]);
    }
}
