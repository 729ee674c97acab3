using System.Xml;
using Microsoft.AspNetCore.Http;
using RclonePool.Core.Pool;
using RclonePool.Server.WebDav.Http;
using RclonePool.Server.WebDav.Xml;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>
/// PROPFIND with Depth 0 or 1 (Depth infinity on a collection is refused with <c>propfind-finite-depth</c>): live
/// properties from the entry, dead properties from the pool, 404 propstats for the rest. The multistatus is streamed.
/// </summary>
internal sealed class PropFindHandler : IMethodHandler
{
    public async Task HandleAsync(DavContext context)
    {
        var depth = DavHeaders.Depth(context.Request, Depth.Infinity);
        var entry = await context.StatAsync(context.Path)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{context.Path} does not exist.");
        if (entry.IsDirectory && depth == Depth.Infinity)
        {
            throw new DavException(StatusCodes.Status403Forbidden, "PROPFIND with Depth: infinity is not supported; use Depth: 1 and walk down.", "propfind-finite-depth");
        }

        var body = await DavXml.ReadBodyAsync(context.Request, context.Services.Options.MaxXmlBodySize, context.Aborted);
        var request = PropFindRequest.From(body);
        long? freeBytes = null;
        if (request.Names.Contains(LiveProperties.QuotaAvailable))
        {
            freeBytes = await context.Pool.FreeBytesAsync(context.Aborted);
        }

        await context.LocksAsync(); // for lockdiscovery
        using var multiStatus = MultiStatusWriter.Start(context.Response);
        WriteResponse(multiStatus, context, entry, request, freeBytes);
        if (entry.IsDirectory && depth == Depth.One)
        {
            await foreach (var child in context.Pool.ListAsync(entry.Path, recursive: false, context.Aborted))
            {
                WriteResponse(multiStatus, context, child, request, freeBytes);
                await multiStatus.FlushIfFullAsync(context.Aborted);
            }
        }

        await multiStatus.CompleteAsync(context.Aborted);
    }

    private static void WriteResponse(MultiStatusWriter multiStatus, DavContext context, PoolEntry entry, PropFindRequest request, long? freeBytes)
    {
        var xml = multiStatus.Xml;
        multiStatus.BeginResponse(context.Href(entry.Path, entry.IsDirectory));
        var dead = DeadProperties(entry);
        switch (request.Kind)
        {
            case PropFindKind.PropName:
                BeginPropStat(xml);
                foreach (var name in LiveProperties.NamesFor(entry).Concat(dead.Select(d => d.Name)))
                {
                    WriteEmpty(xml, name);
                }

                EndPropStat(multiStatus, StatusCodes.Status200OK);
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

                EndPropStat(multiStatus, StatusCodes.Status200OK);
                WriteMissing(multiStatus, missing);
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

                    EndPropStat(multiStatus, StatusCodes.Status200OK);
                }

                WriteMissing(multiStatus, absent);
                break;
        }

        multiStatus.EndResponse();
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

    private static void WriteMissing(MultiStatusWriter multiStatus, List<PropertyName> missing)
    {
        if (missing.Count == 0)
        {
            return;
        }

        BeginPropStat(multiStatus.Xml);
        foreach (var name in missing)
        {
            WriteEmpty(multiStatus.Xml, name);
        }

        EndPropStat(multiStatus, StatusCodes.Status404NotFound);
    }

    private static void BeginPropStat(XmlWriter xml)
    {
        xml.WriteStartElement(DavXml.Prefix, "propstat", DavXml.Namespace);
        xml.WriteStartElement(DavXml.Prefix, "prop", DavXml.Namespace);
    }

    private static void EndPropStat(MultiStatusWriter multiStatus, int status)
    {
        multiStatus.Xml.WriteEndElement(); // prop
        multiStatus.WriteStatus(status);
        multiStatus.Xml.WriteEndElement(); // propstat
    }

    /// <summary>Starts an element for a property in its own namespace (DAV: as D:, the empty namespace unprefixed).</summary>
    internal static void StartProperty(XmlWriter xml, PropertyName name)
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

    internal static void WriteEmpty(XmlWriter xml, PropertyName name)
    {
        StartProperty(xml, name);
        xml.WriteEndElement();
    }

    private static void WriteDead(XmlWriter xml, PropertyName name, string value)
    {
        StartProperty(xml, name);
        XmlFragment.Write(xml, value);
        xml.WriteEndElement();
    }
}
