using System.Globalization;
using System.Xml;
using RclonePool.Core.Paths;
using RclonePool.Server.WebDav.Locking;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>The XML of locks: DAV:lockdiscovery (in PROPFIND and LOCK responses) and DAV:supportedlock.</summary>
internal static class LockXml
{
    public static void WriteLockDiscovery(XmlWriter writer, IEnumerable<ActiveLock> locks, Func<PoolPath, string> href, DateTimeOffset now)
    {
        writer.WriteStartElement(DavXml.Prefix, "lockdiscovery", DavXml.Namespace);
        foreach (var held in locks)
        {
            WriteActiveLock(writer, held, href, now);
        }

        writer.WriteEndElement();
    }

    public static void WriteSupportedLock(XmlWriter writer)
    {
        writer.WriteStartElement(DavXml.Prefix, "supportedlock", DavXml.Namespace);
        foreach (var scope in new[] { "exclusive", "shared" })
        {
            writer.WriteStartElement(DavXml.Prefix, "lockentry", DavXml.Namespace);
            WriteWrapped(writer, "lockscope", scope);
            WriteWrapped(writer, "locktype", "write");
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

    private static void WriteActiveLock(XmlWriter writer, ActiveLock held, Func<PoolPath, string> href, DateTimeOffset now)
    {
        writer.WriteStartElement(DavXml.Prefix, "activelock", DavXml.Namespace);
        WriteWrapped(writer, "locktype", "write");
        WriteWrapped(writer, "lockscope", held.Scope == LockScope.Exclusive ? "exclusive" : "shared");
        writer.WriteElementString(DavXml.Prefix, "depth", DavXml.Namespace, held.Infinite ? "infinity" : "0");
        if (held.Owner is not null)
        {
            writer.WriteStartElement(DavXml.Prefix, "owner", DavXml.Namespace);
            XmlFragment.Write(writer, held.Owner);
            writer.WriteEndElement();
        }

        var remaining = Math.Max(1, (long)Math.Ceiling((held.ExpiresAt - now).TotalSeconds));
        writer.WriteElementString(DavXml.Prefix, "timeout", DavXml.Namespace, "Second-" + remaining.ToString(CultureInfo.InvariantCulture));
        writer.WriteStartElement(DavXml.Prefix, "locktoken", DavXml.Namespace);
        writer.WriteElementString(DavXml.Prefix, "href", DavXml.Namespace, held.Token);
        writer.WriteEndElement();
        writer.WriteStartElement(DavXml.Prefix, "lockroot", DavXml.Namespace);
        writer.WriteElementString(DavXml.Prefix, "href", DavXml.Namespace, href(held.Root));
        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private static void WriteWrapped(XmlWriter writer, string outer, string inner)
    {
        writer.WriteStartElement(DavXml.Prefix, outer, DavXml.Namespace);
        writer.WriteStartElement(DavXml.Prefix, inner, DavXml.Namespace);
        writer.WriteEndElement();
        writer.WriteEndElement();
    }
}
