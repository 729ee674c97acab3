using System.Net;
using System.Text;
using System.Xml.Linq;
using RclonePool.Core.Paths;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>The WebDAV methods' statuses and bodies at their edges (RFC 4918).</summary>
public sealed class MethodTests : IAsyncLifetime
{
    private static readonly XNamespace Dav = "DAV:";
    private ServerUnderTest _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await ServerUnderTest.StartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Options_advertises_classes_1_and_2_and_what_the_target_allows()
    {
        await MkcolAsync("dir");
        using var root = await _server.SendAsync("OPTIONS", "");
        using var dir = await _server.SendAsync("OPTIONS", "dir/");
        using var missing = await _server.SendAsync("OPTIONS", "nothing");

        Assert.Equal(HttpStatusCode.OK, root.StatusCode);
        Assert.Equal("1, 2", root.Headers.GetValues("DAV").Single());
        Assert.Contains("PROPFIND", dir.Content.Headers.Allow);
        Assert.DoesNotContain("PUT", dir.Content.Headers.Allow);
        Assert.Contains("MKCOL", missing.Content.Headers.Allow);
    }

    [Fact]
    public async Task Unknown_methods_get_501_and_post_gets_405()
    {
        using var search = await _server.SendAsync("SEARCH", "");
        using var post = await _server.SendAsync("POST", "", new StringContent("x"));

        Assert.Equal(HttpStatusCode.NotImplemented, search.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.NotEmpty(post.Content.Headers.Allow);
    }

    [Fact]
    public async Task Put_needs_an_existing_parent_collection_and_refuses_collections_and_partial_updates()
    {
        await MkcolAsync("dir");
        using var noParent = await _server.Client.PutAsync("missing/file", new ByteArrayContent([1]), Ct);
        using var onCollection = await _server.Client.PutAsync("dir", new ByteArrayContent([1]), Ct);
        var partial = new ByteArrayContent([1]);
        partial.Headers.TryAddWithoutValidation("Content-Range", "bytes 0-0/10");
        using var ranged = await _server.Client.PutAsync("file", partial, Ct);
        await _server.Client.PutAsync("plain", new ByteArrayContent([1]), Ct);
        using var belowFile = await _server.Client.PutAsync("plain/child", new ByteArrayContent([1]), Ct);

        Assert.Equal(HttpStatusCode.Conflict, noParent.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, onCollection.StatusCode);
        Assert.Contains("PROPFIND", onCollection.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.BadRequest, ranged.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, belowFile.StatusCode);
        Assert.Equal(1, _server.Pool.FileCount);
    }

    [Fact]
    public async Task Put_creates_with_201_replaces_with_204_and_returns_the_new_etag()
    {
        using var created = await _server.Client.PutAsync("f", new StringContent("one"), Ct);
        using var replaced = await _server.Client.PutAsync("f", new StringContent("two"), Ct);
        using var get = await _server.Client.GetAsync("f", Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, replaced.StatusCode);
        Assert.NotEqual(created.Headers.ETag, replaced.Headers.ETag);
        Assert.Equal(replaced.Headers.ETag, get.Headers.ETag);
        Assert.Equal("two", await get.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Mkcol_refuses_a_body_an_existing_target_and_a_missing_parent()
    {
        using var created = await _server.SendAsync("MKCOL", "dir");
        using var again = await _server.SendAsync("MKCOL", "dir/");
        using var withBody = await _server.SendAsync("MKCOL", "other", new StringContent("<x/>", Encoding.UTF8, "text/xml"));
        using var noParent = await _server.SendAsync("MKCOL", "a/b/c");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, again.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, withBody.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, noParent.StatusCode);
        Assert.Null(await _server.Pool.StatAsync(PoolPath.Parse("/other"), Ct));
    }

    [Fact]
    public async Task Delete_removes_a_collection_with_its_subtree_and_an_empty_collection_survives_until_then()
    {
        await MkcolAsync("tree");
        await MkcolAsync("tree/empty");
        await _server.Client.PutAsync("tree/a", new ByteArrayContent([1]), Ct);
        Assert.NotNull(await _server.Pool.StatAsync(PoolPath.Parse("/tree/empty"), Ct));

        using var shallow = await _server.SendAsync("DELETE", "tree/", null, ("Depth", "0"));
        using var deleted = await _server.SendAsync("DELETE", "tree/");
        using var again = await _server.SendAsync("DELETE", "tree/");
        using var root = await _server.SendAsync("DELETE", "");

        Assert.Equal(HttpStatusCode.BadRequest, shallow.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, root.StatusCode);
        Assert.Equal(0, _server.Pool.FileCount);
    }

    [Fact]
    public async Task Copy_and_move_refuse_a_destination_inside_the_source_bad_depth_and_overwrite_f()
    {
        await MkcolAsync("src");
        await _server.Client.PutAsync("src/a", new ByteArrayContent([1]), Ct);
        await _server.Client.PutAsync("b", new ByteArrayContent([2]), Ct);

        using var inside = await _server.SendAsync("MOVE", "src/", null, ("Destination", "/src/deeper/"));
        using var ontoItself = await _server.SendAsync("COPY", "b", null, ("Destination", "/b"));
        using var ancestor = await _server.SendAsync("MOVE", "src/a", null, ("Destination", "/src"));
        using var depthOne = await _server.SendAsync("COPY", "src/", null, ("Destination", "/copy/"), ("Depth", "1"));
        using var moveDepthZero = await _server.SendAsync("MOVE", "src/", null, ("Destination", "/moved/"), ("Depth", "0"));
        using var noOverwrite = await _server.SendAsync("COPY", "b", null, ("Destination", "/src/a"), ("Overwrite", "F"));
        using var badOverwrite = await _server.SendAsync("COPY", "b", null, ("Destination", "/c"), ("Overwrite", "maybe"));
        using var noDestination = await _server.SendAsync("COPY", "b");

        Assert.Equal(HttpStatusCode.Forbidden, inside.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ontoItself.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ancestor.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, depthOne.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, moveDepthZero.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, noOverwrite.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badOverwrite.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noDestination.StatusCode);
        Assert.Equal([1], _server.Pool.ReadAll(PoolPath.Parse("/src/a")));
        Assert.Equal(2, _server.Pool.FileCount);
    }

    [Fact]
    public async Task Move_of_a_collection_renames_the_subtree_and_keeps_dead_properties()
    {
        await MkcolAsync("album");
        await MkcolAsync("album/empty");
        await _server.Client.PutAsync("album/track", new ByteArrayContent([5]), Ct);
        using var patch = await PropPatchAsync("album/track", "<D:set><D:prop><x:rating xmlns:x=\"urn:x\">5</x:rating></D:prop></D:set>");

        using var moved = await _server.SendAsync("MOVE", "album/", null, ("Destination", "/renamed/"));
        var track = await _server.Pool.StatAsync(PoolPath.Parse("/renamed/track"), Ct);

        Assert.Equal(HttpStatusCode.Created, moved.StatusCode);
        Assert.Null(await _server.Pool.StatAsync(PoolPath.Parse("/album"), Ct));
        Assert.NotNull(await _server.Pool.StatAsync(PoolPath.Parse("/renamed/empty"), Ct));
        Assert.Equal("5", track!.Properties["{urn:x}rating"]);
    }

    [Fact]
    public async Task Propfind_depth_infinity_on_a_collection_is_refused_with_the_precondition()
    {
        await _server.Client.PutAsync("f", new ByteArrayContent([1]), Ct);
        using var infinity = await _server.SendAsync("PROPFIND", "", null, ("Depth", "infinity"));
        using var absent = await _server.SendAsync("PROPFIND", "");
        using var onFile = await _server.SendAsync("PROPFIND", "f", null, ("Depth", "infinity"));
        using var badDepth = await _server.SendAsync("PROPFIND", "", null, ("Depth", "2"));

        Assert.Equal(HttpStatusCode.Forbidden, infinity.StatusCode);
        var error = XDocument.Parse(await infinity.Content.ReadAsStringAsync(Ct));
        Assert.Equal(Dav + "error", error.Root!.Name);
        Assert.NotNull(error.Root.Element(Dav + "propfind-finite-depth"));
        Assert.Equal(HttpStatusCode.Forbidden, absent.StatusCode);
        Assert.Equal(HttpStatusCode.MultiStatus, onFile.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badDepth.StatusCode);
    }

    [Fact]
    public async Task Propfind_depth_1_lists_children_with_encoded_hrefs_and_live_properties()
    {
        await MkcolAsync("d");
        await MkcolAsync("d/sub");
        await _server.Client.PutAsync("d/caf%C3%A9%20x.txt", new StringContent("hello"), Ct);

        var body = await PropFindAsync("d/", "1", "<D:propfind xmlns:D=\"DAV:\"><D:allprop/></D:propfind>");
        var responses = body.Root!.Elements(Dav + "response").ToList();

        Assert.Equal(["/d/", "/d/caf%C3%A9%20x.txt", "/d/sub/"], responses.Select(r => r.Element(Dav + "href")!.Value));
        var file = responses[1].Descendants(Dav + "prop").First();
        Assert.Equal("5", file.Element(Dav + "getcontentlength")!.Value);
        Assert.Equal("text/plain", file.Element(Dav + "getcontenttype")!.Value);
        Assert.Equal("café x.txt", file.Element(Dav + "displayname")!.Value);
        Assert.Empty(file.Element(Dav + "resourcetype")!.Elements());
        Assert.NotEmpty(file.Element(Dav + "getetag")!.Value);
        Assert.EndsWith("GMT", file.Element(Dav + "getlastmodified")!.Value, StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", file.Element(Dav + "creationdate")!.Value);
        Assert.NotNull(file.Element(Dav + "supportedlock"));
        var dir = responses[2].Descendants(Dav + "prop").First();
        Assert.NotNull(dir.Element(Dav + "resourcetype")!.Element(Dav + "collection"));
        Assert.Null(dir.Element(Dav + "getcontentlength"));
    }

    [Fact]
    public async Task Propfind_of_named_properties_reports_unknown_ones_as_404_and_propname_lists_names()
    {
        await _server.Client.PutAsync("f", new StringContent("x"), Ct);
        var named = await PropFindAsync("f", "0", "<propfind xmlns=\"DAV:\"><prop><getcontentlength/><nope xmlns=\"urn:y\"/></prop></propfind>");
        var names = await PropFindAsync("f", "0", "<propfind xmlns=\"DAV:\"><propname/></propfind>");

        var propstats = named.Descendants(Dav + "propstat").ToList();
        Assert.Equal(2, propstats.Count);
        Assert.Contains("200", propstats[0].Element(Dav + "status")!.Value, StringComparison.Ordinal);
        Assert.Contains("404", propstats[1].Element(Dav + "status")!.Value, StringComparison.Ordinal);
        Assert.NotNull(propstats[1].Descendants(XName.Get("nope", "urn:y")).SingleOrDefault());
        Assert.All(names.Descendants(Dav + "prop").Single().Elements(), e => Assert.True(e.IsEmpty));
        Assert.NotNull(names.Descendants(Dav + "getetag").SingleOrDefault());
    }

    [Fact]
    public async Task Dead_properties_round_trip_with_their_namespaces_and_xml_values()
    {
        await _server.Client.PutAsync("f", new StringContent("x"), Ct);
        using var patch = await PropPatchAsync("f",
            "<D:set><D:prop><x:note xmlns:x=\"urn:x\">a &lt; b</x:note>" +
            "<x:rich xmlns:x=\"urn:x\" xmlns:y=\"urn:y\"><y:child y:attr=\"1\">t</y:child></x:rich>" +
            "<bare xmlns=\"\">v</bare><D:displayname>Shown</D:displayname></D:prop></D:set>");
        Assert.Equal(HttpStatusCode.MultiStatus, patch.StatusCode);

        var found = await PropFindAsync("f", "0", null);
        var prop = found.Descendants(Dav + "prop").First();

        Assert.Equal("a < b", prop.Element(XName.Get("note", "urn:x"))!.Value);
        var child = prop.Element(XName.Get("rich", "urn:x"))!.Element(XName.Get("child", "urn:y"))!;
        Assert.Equal("t", child.Value);
        Assert.Equal("1", child.Attribute(XName.Get("attr", "urn:y"))!.Value);
        Assert.Equal("v", prop.Element("bare")!.Value);
        Assert.Equal("Shown", prop.Element(Dav + "displayname")!.Value);
        Assert.Single(prop.Elements(Dav + "displayname"));
    }

    [Fact]
    public async Task Proppatch_of_a_protected_property_fails_whole_with_403_and_424()
    {
        await _server.Client.PutAsync("f", new StringContent("x"), Ct);
        using var patch = await PropPatchAsync("f",
            "<D:set><D:prop><x:a xmlns:x=\"urn:x\">1</x:a><D:getetag>\"forged\"</D:getetag></D:prop></D:set>");
        var body = XDocument.Parse(await patch.Content.ReadAsStringAsync(Ct));
        var statuses = body.Descendants(Dav + "propstat")
            .ToDictionary(p => p.Element(Dav + "prop")!.Elements().Single().Name.LocalName, p => p.Element(Dav + "status")!.Value);

        Assert.Equal(HttpStatusCode.MultiStatus, patch.StatusCode);
        Assert.Contains("403", statuses["getetag"], StringComparison.Ordinal);
        Assert.Contains("424", statuses["a"], StringComparison.Ordinal);
        Assert.NotNull(body.Descendants(Dav + "cannot-modify-protected-property").SingleOrDefault());
        Assert.Empty((await _server.Pool.StatAsync(PoolPath.Parse("/f"), Ct))!.Properties);
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><D:propfind xmlns:D=\"DAV:\"><D:prop>&x;</D:prop></D:propfind>")]
    [InlineData("<!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><p>&b;</p>")]
    [InlineData("<D:propfind xmlns:D=\"DAV:\"><D:prop>")]
    [InlineData("not xml at all")]
    [InlineData("<D:lockinfo xmlns:D=\"DAV:\"/>")]
    public async Task Malformed_dangerous_or_wrong_xml_bodies_get_400(string xml)
    {
        using var response = await _server.SendAsync("PROPFIND", "", new StringContent(xml, Encoding.UTF8, "application/xml"), ("Depth", "0"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_xml_body_over_the_limit_gets_413()
    {
        var huge = "<D:propfind xmlns:D=\"DAV:\"><D:prop>" + string.Concat(Enumerable.Repeat("<x:p xmlns:x=\"urn:x\"/>", 60_000)) + "</D:prop></D:propfind>";
        using var response = await _server.SendAsync("PROPFIND", "", new StringContent(huge, Encoding.UTF8, "application/xml"), ("Depth", "0"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private async Task MkcolAsync(string path)
    {
        using var response = await _server.SendAsync("MKCOL", path);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private Task<HttpResponseMessage> PropPatchAsync(string path, string instructions) =>
        _server.SendAsync("PROPPATCH", path, new StringContent($"<D:propertyupdate xmlns:D=\"DAV:\">{instructions}</D:propertyupdate>", Encoding.UTF8, "application/xml"));

    private async Task<XDocument> PropFindAsync(string path, string depth, string? body)
    {
        using var response = await _server.SendAsync("PROPFIND", path, body is null ? null : new StringContent(body, Encoding.UTF8, "application/xml"), ("Depth", depth));
        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        return XDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
    }
}
