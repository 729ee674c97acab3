using System.Globalization;
using System.Text;
using System.Xml;
using RclonePool.Core.Pool;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>
/// The live properties this server computes from a pool entry. All are protected (PROPPATCH gets 403) except
/// DAV:displayname, which a client may set as a dead property that then takes precedence.
/// </summary>
internal static class LiveProperties
{
    public static readonly PropertyName ResourceType = PropertyName.Dav("resourcetype");
    public static readonly PropertyName ContentLength = PropertyName.Dav("getcontentlength");
    public static readonly PropertyName LastModified = PropertyName.Dav("getlastmodified");
    public static readonly PropertyName CreationDate = PropertyName.Dav("creationdate");
    public static readonly PropertyName ETag = PropertyName.Dav("getetag");
    public static readonly PropertyName ContentType = PropertyName.Dav("getcontenttype");
    public static readonly PropertyName DisplayName = PropertyName.Dav("displayname");
    public static readonly PropertyName LockDiscovery = PropertyName.Dav("lockdiscovery");
    public static readonly PropertyName SupportedLock = PropertyName.Dav("supportedlock");
    public static readonly PropertyName QuotaAvailable = PropertyName.Dav("quota-available-bytes");
    public static readonly PropertyName QuotaUsed = PropertyName.Dav("quota-used-bytes");

    private static readonly PropertyName[] FileProperties =
        [ResourceType, ContentLength, LastModified, CreationDate, ETag, ContentType, DisplayName, LockDiscovery, SupportedLock];

    private static readonly PropertyName[] CollectionProperties =
        [ResourceType, LastModified, CreationDate, ETag, DisplayName, LockDiscovery, SupportedLock];

    private static readonly HashSet<PropertyName> Protected =
        [ResourceType, ContentLength, LastModified, CreationDate, ETag, ContentType, LockDiscovery, SupportedLock, QuotaAvailable, QuotaUsed];

    // Each live property's name, in the order of LiveProperty's members after None.
    private static readonly PropertyName[] Named =
        [ResourceType, ContentLength, LastModified, CreationDate, ETag, ContentType, DisplayName, LockDiscovery, SupportedLock, QuotaAvailable, QuotaUsed];

    private static readonly Dictionary<PropertyName, LiveProperty> ByName =
        Named.Select((name, i) => (name, live: (LiveProperty)(i + 1))).ToDictionary(p => p.name, p => p.live);

    private static readonly byte[][] LocalNamesUtf8 = [.. Named.Select(name => Encoding.UTF8.GetBytes(name.LocalName))];

    /// <summary>Which live property <paramref name="name"/> is, or <see cref="LiveProperty.None"/>.</summary>
    public static LiveProperty Of(PropertyName name) => ByName.GetValueOrDefault(name, LiveProperty.None);

    /// <summary>The local name of a live property as UTF-8 (its element is <c>D:</c> that).</summary>
    public static ReadOnlySpan<byte> LocalNameUtf8(LiveProperty property) => property is > LiveProperty.None and <= LiveProperty.QuotaUsed
        ? LocalNamesUtf8[(int)property - 1]
        : throw new ArgumentOutOfRangeException(nameof(property), property, "Not a live property.");

    /// <summary>True when PROPPATCH may not set or remove the property.</summary>
    public static bool IsProtected(PropertyName name) => Protected.Contains(name);

    /// <summary>The live properties an allprop or propname request lists for the entry (quota properties only on request).</summary>
    public static IEnumerable<PropertyName> NamesFor(PoolEntry entry) =>
        (entry.IsDirectory ? CollectionProperties : FileProperties)
            .Where(n => n != DisplayName || !entry.Properties.ContainsKey(DisplayName.Key));

    /// <summary>True when the entry has a value for the live property <paramref name="name"/>.</summary>
    public static bool Has(PoolEntry entry, PropertyName name, long? freeBytes)
    {
        if (name == DisplayName)
        {
            return !entry.Properties.ContainsKey(DisplayName.Key);
        }

        if (name == QuotaAvailable)
        {
            return entry.IsDirectory && freeBytes is not null;
        }

        return (entry.IsDirectory ? CollectionProperties : FileProperties).Contains(name);
    }

    /// <summary>Writes the live property element with its value; call only when <see cref="Has"/> is true.</summary>
    public static void Write(XmlWriter writer, PropertyName name, PoolEntry entry, DavContext context, long? freeBytes)
    {
        if (name == LockDiscovery)
        {
            var locks = context.Locks.Covering(entry.Path);
            LockXml.WriteLockDiscovery(writer, locks, p => context.Href(p, false), context.Services.Time.GetUtcNow());
            return;
        }

        if (name == SupportedLock)
        {
            LockXml.WriteSupportedLock(writer);
            return;
        }

        writer.WriteStartElement(DavXml.Prefix, name.LocalName, DavXml.Namespace);
        switch (name.LocalName)
        {
            case "resourcetype" when entry.IsDirectory:
                writer.WriteStartElement(DavXml.Prefix, "collection", DavXml.Namespace);
                writer.WriteEndElement();
                break;
            case "getcontentlength":
                writer.WriteString(entry.Size.ToString(CultureInfo.InvariantCulture));
                break;
            case "getlastmodified":
                writer.WriteString(Http.ConditionalRequest.LastModified(entry).ToString("R", CultureInfo.InvariantCulture));
                break;
            case "creationdate":
                writer.WriteString(entry.Created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                break;
            case "getetag":
                writer.WriteString(entry.ETag);
                break;
            case "getcontenttype":
                writer.WriteString(context.Services.ContentTypeOf(entry.Path.Name));
                break;
            case "displayname":
                writer.WriteString(entry.Path.Name);
                break;
            case "quota-available-bytes":
                writer.WriteString(freeBytes!.Value.ToString(CultureInfo.InvariantCulture));
                break;
        }

        writer.WriteEndElement();
    }
}
