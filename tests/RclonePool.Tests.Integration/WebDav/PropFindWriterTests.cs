using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server;
using RclonePool.Server.WebDav;
using RclonePool.Server.WebDav.Locking;
using RclonePool.Server.WebDav.Xml;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// The byte writer of PROPFIND responses (<see cref="PropFindUtf8"/>) against the <see cref="XmlWriter"/> one
/// (<see cref="PropFindXml"/>): for random entries (names with XML-special, percent-special and non-ASCII characters,
/// files and directories, any sizes and dates), random requests (allprop with and without include, propname, prop with
/// live, unknown and foreign-namespace names) and path bases, both parse to the same XML.
/// </summary>
public sealed class PropFindWriterTests
{
    private const string NameCharacters = "abcXYZ019 -._~<>&\"'%#?+=;:,!@$()[]{}^`|*éüßñ日本語中文Ωж\u00A0\u2028😀🎵";

    private static readonly string[] PathBases = ["", "/dav", "/my dav & <co>", "/ü😀"];

    private static readonly PropertyName[] RequestableNames =
    [
        .. new[]
        {
            "resourcetype", "getcontentlength", "getlastmodified", "creationdate", "getetag", "getcontenttype", "displayname",
            "lockdiscovery", "supportedlock", "quota-available-bytes", "quota-used-bytes", "unknown-dav-name",
        }.Select(PropertyName.Dav),
        new PropertyName("http://example.com/ns", "color"),
        new PropertyName("http://example.com/q?a=1&b=\"2\"<3>", "odd-ns"),
        new PropertyName(string.Empty, "no-namespace"),
        new PropertyName("urn:ü-日本", "名前"),
    ];

    [Fact]
    public async Task The_byte_writer_gives_the_same_xml_as_the_xml_writer_for_random_entries_and_requests()
    {
        for (var seed = 1; seed <= 400; seed++)
        {
            var random = new Random(seed);
            var context = await ContextAsync(PathBases[random.Next(PathBases.Length)]);
            var request = RandomRequest(random);
            long? freeBytes = random.Next(3) == 0 ? null : random.NextInt64(0, long.MaxValue);
            var fast = new PropFindUtf8(context, request, freeBytes);
            for (var i = 0; i < 8; i++)
            {
                var entry = RandomEntry(random);
                using var output = new Utf8XmlOutput(256); // small: writes past the end grow it
                Assert.True(fast.TryWrite(output, entry), $"seed {seed}: an entry without dead properties or locks took the slow path");
                var expected = XmlWriterResponse(context, entry, request, freeBytes);
                var actual = Encoding.UTF8.GetString(output.Written.Span);
                AssertSameXml(expected, actual, $"seed {seed}, entry {entry.Path}, {request.Kind} [{string.Join(", ", request.Names)}]");
            }
        }
    }

    [Fact]
    public async Task Entries_with_dead_properties_or_active_locks_are_left_to_the_xml_writer()
    {
        var context = await ContextAsync(string.Empty, lockedPath: "/locked");
        var fast = new PropFindUtf8(context, PropFindRequest.AllProp, null);
        using var output = new Utf8XmlOutput(256);

        Assert.False(fast.TryWrite(output, Entry("/with-props", EntryKind.File) with { Properties = new Dictionary<string, string> { ["{urn:x}p"] = "v" } }));
        Assert.False(fast.TryWrite(output, Entry("/locked", EntryKind.File)));
        Assert.True(fast.TryWrite(output, Entry("/free", EntryKind.File)));
    }

    [Fact]
    public async Task A_multistatus_mixing_both_writers_is_one_well_formed_document()
    {
        var context = await ContextAsync("/base", lockedPath: "/d/locked.txt");
        var entries = new List<PoolEntry>
        {
            Entry("/d", EntryKind.Directory),
            Entry("/d/a <&> b.txt", EntryKind.File),
            Entry("/d/locked.txt", EntryKind.File),
            Entry("/d/props.txt", EntryKind.File) with { Properties = new Dictionary<string, string> { ["{urn:x}p"] = "<x:v xmlns:x=\"urn:x\">1</x:v>", ["{DAV:}displayname"] = "Shown" } },
        };
        context.Response.Body = new MemoryStream();
        using (var writer = PropFindWriter.Start(context, PropFindRequest.AllProp, null))
        {
            foreach (var entry in entries)
            {
                writer.Write(entry);
            }

            await writer.CompleteAsync(TestContext.Current.CancellationToken);
        }

        var body = ((MemoryStream)context.Response.Body).ToArray();
        Assert.Equal(body.Length, context.Response.ContentLength);
        var document = XDocument.Parse(Encoding.UTF8.GetString(body));
        XNamespace dav = "DAV:";
        var responses = document.Root!.Elements(dav + "response").ToList();
        Assert.Equal(["/base/d/", "/base/d/a%20%3C%26%3E%20b.txt", "/base/d/locked.txt", "/base/d/props.txt"], responses.Select(r => r.Element(dav + "href")!.Value));
        Assert.Single(responses[2].Descendants(dav + "activelock"));
        Assert.Equal("Shown", responses[3].Descendants(dav + "displayname").Single().Value);
        Assert.Equal("1", responses[3].Descendants(XName.Get("v", "urn:x")).Single().Value);
        for (var i = 0; i < entries.Count; i++)
        {
            AssertSameXml(XmlWriterResponse(context, entries[i], PropFindRequest.AllProp, null), responses[i].ToString(SaveOptions.DisableFormatting), entries[i].Path.Value);
        }
    }

    private static async Task<DavContext> ContextAsync(string pathBase, string? lockedPath = null)
    {
        var services = new DavServices(new InMemoryPoolFileSystem(), new ServerOptions { PathBase = pathBase }, NullLogger.Instance);
        if (lockedPath is not null)
        {
            await services.Locks.TryLockAsync(PoolPath.Parse(lockedPath), LockScope.Exclusive, false, "<D:href xmlns:D=\"DAV:\">me</D:href>", TimeSpan.FromMinutes(5), CancellationToken.None);
        }

        var http = new DefaultHttpContext();
        http.Request.Method = "PROPFIND";
        var context = new DavContext(http, services, new RequestTarget(PoolPath.Root, false));
        await context.LocksAsync();
        return context;
    }

    private static PropFindRequest RandomRequest(Random random)
    {
        var names = RequestableNames.Where(_ => random.Next(3) == 0).OrderBy(_ => random.Next()).ToList();
        return random.Next(4) switch
        {
            0 => PropFindRequest.AllProp,
            1 => new PropFindRequest(PropFindKind.AllProp, names),
            2 => new PropFindRequest(PropFindKind.PropName, []),
            _ => new PropFindRequest(PropFindKind.Prop, names.Count > 0 ? names : [RequestableNames[random.Next(RequestableNames.Length)]]),
        };
    }

    private static PoolEntry RandomEntry(Random random)
    {
        var depth = random.Next(0, 4);
        var path = depth == 0 ? "/" : string.Concat(Enumerable.Range(0, depth).Select(_ => "/" + RandomName(random)));
        var kind = path == "/" || random.Next(3) == 0 ? EntryKind.Directory : EntryKind.File;
        var created = new DateTimeOffset(random.NextInt64(DateTimeOffset.UnixEpoch.Ticks, new DateTime(2200, 1, 1).Ticks), TimeSpan.FromHours(random.Next(-12, 13)));
        return Entry(path, kind) with
        {
            Size = kind == EntryKind.File ? random.NextInt64(0, long.MaxValue >> random.Next(0, 63)) : 0,
            Created = created,
            Modified = created.AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 3650)),
            Sha256 = kind == EntryKind.File ? Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) : null,
            FileId = random.Next(2) == 0 ? null : Guid.NewGuid().ToString("N"),
            Revision = random.Next(1, 1000),
        };
    }

    private static string RandomName(Random random)
    {
        while (true)
        {
            var text = new StringBuilder();
            var runes = NameCharacters.EnumerateRunes().ToArray();
            for (var i = random.Next(1, 12); i > 0; i--)
            {
                text.Append(runes[random.Next(runes.Length)].ToString());
            }

            var name = text.ToString();
            if (name.Trim().Length > 0 && name is not "." and not "..")
            {
                return name;
            }
        }
    }

    private static PoolEntry Entry(string path, EntryKind kind) => new()
    {
        Path = PoolPath.Parse(path),
        Kind = kind,
        Size = kind == EntryKind.File ? 11 : 0,
        Created = new DateTimeOffset(2026, 12, 7, 14, 0, 0, TimeSpan.Zero),
        Modified = new DateTimeOffset(2026, 12, 7, 14, 0, 1, TimeSpan.Zero),
        Sha256 = kind == EntryKind.File ? new string('a', 64) : null,
        FileId = "f1",
        Revision = 1,
    };

    private static string XmlWriterResponse(DavContext context, PoolEntry entry, PropFindRequest request, long? freeBytes)
    {
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { ConformanceLevel = ConformanceLevel.Fragment, NewLineHandling = NewLineHandling.None }))
        {
            PropFindXml.WriteResponse(xml, context, entry, request, freeBytes);
        }

        return text.ToString();
    }

    /// <summary>Equal as XML: the same element names (namespace URI and local name), attributes other than namespace declarations, and text.</summary>
    private static void AssertSameXml(string expected, string actual, string what)
    {
        var wrap = static (string fragment) => XElement.Parse("<wrap xmlns:D=\"DAV:\">" + fragment + "</wrap>");
        var left = Canonical(wrap(expected));
        var right = Canonical(wrap(actual));
        Assert.True(left == right, $"{what}\nexpected {expected}\nactual   {actual}");
    }

    private static string Canonical(XElement element)
    {
        var text = new StringBuilder().Append('{').Append(element.Name.NamespaceName).Append('}').Append(element.Name.LocalName);
        foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration).OrderBy(a => a.Name.ToString(), StringComparer.Ordinal))
        {
            text.Append(' ').Append(attribute.Name).Append("=\"").Append(attribute.Value).Append('"');
        }

        text.Append('[');
        foreach (var node in element.Nodes())
        {
            text.Append(node switch
            {
                XElement child => Canonical(child),
                XText value => "'" + value.Value + "'",
                _ => string.Empty,
            });
        }

        return text.Append(']').ToString();
    }
}
