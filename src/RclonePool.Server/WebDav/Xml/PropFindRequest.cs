using System.Xml.Linq;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>What a PROPFIND asks for: all properties (plus any named in DAV:include), property names only, or named properties.</summary>
internal sealed record PropFindRequest(PropFindKind Kind, IReadOnlyList<PropertyName> Names)
{
    public static PropFindRequest AllProp { get; } = new(PropFindKind.AllProp, []);

    /// <summary>Reads a DAV:propfind body; no body means allprop. Unknown elements are ignored, as RFC 4918 requires.</summary>
    public static PropFindRequest From(XDocument? body)
    {
        if (body is null)
        {
            return AllProp;
        }

        var root = DavXml.RequireRoot(body, "propfind");
        var children = root.Elements().ToList();
        if (children.Any(e => e.Name == DavXml.Dav + "propname"))
        {
            return new PropFindRequest(PropFindKind.PropName, []);
        }

        if (children.Any(e => e.Name == DavXml.Dav + "allprop"))
        {
            var include = children.Where(e => e.Name == DavXml.Dav + "include").SelectMany(e => e.Elements()).Select(e => PropertyName.From(e.Name));
            return new PropFindRequest(PropFindKind.AllProp, include.Distinct().ToList());
        }

        var prop = children.FirstOrDefault(e => e.Name == DavXml.Dav + "prop")
            ?? throw DavException.BadRequest("A propfind element must hold prop, allprop or propname.");
        return new PropFindRequest(PropFindKind.Prop, prop.Elements().Select(e => PropertyName.From(e.Name)).Distinct().ToList());
    }
}
