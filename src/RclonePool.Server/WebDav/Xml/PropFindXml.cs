using System.Xml;
using Microsoft.AspNetCore.Http;
using RclonePool.Core.Pool;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>
/// One DAV:response of a PROPFIND through <see cref="XmlWriter"/>: every case, dead properties (stored XML fragments)
/// and active locks included. <see cref="PropFindUtf8"/> writes the common entries (no dead properties, no locks)
/// byte for byte faster; both must produce the same XML.
/// </summary>
internal static class PropFindXml
{
    public static void WriteResponse(XmlWriter xml, DavContext context, PoolEntry entry, PropFindRequest request, long? freeBytes)
    {
        xml.WriteStartElement(DavXml.Prefix, "response", DavXml.Namespace);
        xml.WriteElementString(DavXml.Prefix, "href", DavXml.Namespace, context.Href(entry.Path, entry.IsDirectory));
        var dead = DeadProperties(entry);
        switch (request.Kind)
        {
            case PropFindKind.PropName:
                BeginPropStat(xml);
                foreach (var name in LiveProperties.NamesFor(entry).Concat(dead.Select(d => d.Name)))
                {
                    WriteEmpty(xml, name);
                }

                EndPropStat(xml, StatusCodes.Status200OK);
                break;

            case PropFindKind.AllProp:
                BeginPropStat(xml);
                foreach (var name in LiveProperties.NamesFor(entry))
                {
                    LiveProperties.Write(xml, name, entry, context, freeBytes);
                }

                foreach (var (name, value) in dead)
                {
                    WriteDead(xml, name, value);
                }

                var missing = new List<PropertyName>();
                foreach (var name in request.Names.Where(n => !LiveProperties.NamesFor(entry).Contains(n) && !dead.Any(d => d.Name == n)))
                {
                    if (LiveProperties.Has(entry, name, freeBytes))
                    {
                        LiveProperties.Write(xml, name, entry, context, freeBytes);
                    }
                    else
                    {
                        missing.Add(name);
                    }
                }

                EndPropStat(xml, StatusCodes.Status200OK);
                WriteMissing(xml, missing);
                break;

            case PropFindKind.Prop:
                var found = new List<PropertyName>();
                var absent = new List<PropertyName>();
                foreach (var name in request.Names)
                {
                    var known = LiveProperties.Has(entry, name, freeBytes) || entry.Properties.ContainsKey(name.Key);
                    (known ? found : absent).Add(name);
                }

                if (found.Count > 0)
                {
                    BeginPropStat(xml);
                    foreach (var name in found)
                    {
                        if (entry.Properties.TryGetValue(name.Key, out var value))
                        {
                            WriteDead(xml, name, value);
                        }
                        else
                        {
                            LiveProperties.Write(xml, name, entry, context, freeBytes);
                        }
                    }

                    EndPropStat(xml, StatusCodes.Status200OK);
                }

                WriteMissing(xml, absent);
                break;
        }

        xml.WriteEndElement(); // response
    }

    /// <summary>Starts an element for a property in its own namespace (DAV: as D:, the empty namespace unprefixed).</summary>
    public static void StartProperty(XmlWriter xml, PropertyName name)
    {
        if (name.IsDav)
        {
            xml.WriteStartElement(DavXml.Prefix, name.LocalName, DavXml.Namespace);
        }
        else
        {
            xml.WriteStartElement(null, name.LocalName, name.Namespace);
        }
    }

    public static void WriteEmpty(XmlWriter xml, PropertyName name)
    {
        StartProperty(xml, name);
        xml.WriteEndElement();
    }

    private static List<(PropertyName Name, string Value)> DeadProperties(PoolEntry entry)
    {
        var dead = new List<(PropertyName, string)>(entry.Properties.Count);
        foreach (var (key, value) in entry.Properties)
        {
            if (PropertyName.TryParseKey(key, out var name))
            {
                dead.Add((name, value));
            }
        }

        return dead;
    }

    private static void WriteMissing(XmlWriter xml, List<PropertyName> missing)
    {
        if (missing.Count == 0)
        {
            return;
        }

        BeginPropStat(xml);
        foreach (var name in missing)
        {
            WriteEmpty(xml, name);
        }

        EndPropStat(xml, StatusCodes.Status404NotFound);
    }

    private static void BeginPropStat(XmlWriter xml)
    {
        xml.WriteStartElement(DavXml.Prefix, "propstat", DavXml.Namespace);
        xml.WriteStartElement(DavXml.Prefix, "prop", DavXml.Namespace);
    }

    private static void EndPropStat(XmlWriter xml, int status)
    {
        xml.WriteEndElement(); // prop
        xml.WriteElementString(DavXml.Prefix, "status", DavXml.Namespace, XmlResponse.StatusLine(status));
        xml.WriteEndElement(); // propstat
    }

    private static void WriteDead(XmlWriter xml, PropertyName name, string value)
    {
        StartProperty(xml, name);
        XmlFragment.Write(xml, value);
        xml.WriteEndElement();
    }
}
