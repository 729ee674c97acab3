using Microsoft.AspNetCore.Http;
using RclonePool.Server.WebDav.Locking;
using RclonePool.Server.WebDav.Xml;

namespace RclonePool.Server.WebDav.Handlers;

/// <summary>
/// PROPPATCH: sets and removes dead properties in document order, all or nothing. A protected live property fails
/// with 403 (<c>cannot-modify-protected-property</c>) and every other change in the request with 424; nothing is stored.
/// </summary>
internal sealed class PropPatchHandler : IMethodHandler
{
    private const int MaxChanges = 1000;

    public async Task HandleAsync(DavContext context)
    {
        var entry = await context.StatAsync(context.Path)
            ?? throw new DavException(StatusCodes.Status404NotFound, $"{context.Path} does not exist.");
        await LockGuard.CheckAsync(context, entry, LockRequirement.Resource(context.Path));

        var body = await DavXml.ReadBodyAsync(context.Request, context.Services.Options.MaxXmlBodySize, context.Aborted)
            ?? throw DavException.BadRequest("PROPPATCH needs a propertyupdate body.");
        var root = DavXml.RequireRoot(body, "propertyupdate");

        var order = new List<PropertyName>();
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var instruction in root.Elements())
        {
            var set = instruction.Name == DavXml.Dav + "set";
            if (!set && instruction.Name != DavXml.Dav + "remove")
            {
                continue;
            }

            foreach (var property in instruction.Elements(DavXml.Dav + "prop").SelectMany(p => p.Elements()))
            {
                var name = PropertyName.From(property.Name);
                if (!order.Contains(name))
                {
                    order.Add(name);
                }

                changes[name.Key] = set ? XmlFragment.Serialize(property) : null;
            }
        }

        if (order.Count == 0)
        {
            throw DavException.BadRequest("The propertyupdate holds no property to set or remove.");
        }

        if (order.Count > MaxChanges)
        {
            throw DavException.BadRequest($"A PROPPATCH may change at most {MaxChanges} properties.");
        }

        var refused = order.Where(LiveProperties.IsProtected).ToList();
        if (refused.Count == 0)
        {
            await context.Pool.SetPropertiesAsync(context.Path, changes, context.Aborted);
        }

        using var multiStatus = MultiStatusWriter.Start(context.Response);
        multiStatus.BeginResponse(context.Href(entry.Path, entry.IsDirectory));
        if (refused.Count == 0)
        {
            WritePropStat(multiStatus, order, StatusCodes.Status200OK, null);
        }
        else
        {
            WritePropStat(multiStatus, refused, StatusCodes.Status403Forbidden, "cannot-modify-protected-property");
            WritePropStat(multiStatus, order.Except(refused).ToList(), StatusCodes.Status424FailedDependency, null);
        }

        multiStatus.EndResponse();
        await multiStatus.CompleteAsync(context.Aborted);
    }

    private static void WritePropStat(MultiStatusWriter multiStatus, List<PropertyName> names, int status, string? condition)
    {
        if (names.Count == 0)
        {
            return;
        }

        var xml = multiStatus.Xml;
        xml.WriteStartElement(DavXml.Prefix, "propstat", DavXml.Namespace);
        xml.WriteStartElement(DavXml.Prefix, "prop", DavXml.Namespace);
        foreach (var name in names)
        {
            PropFindXml.WriteEmpty(xml, name);
        }

        xml.WriteEndElement();
        multiStatus.WriteStatus(status);
        if (condition is not null)
        {
            xml.WriteStartElement(DavXml.Prefix, "error", DavXml.Namespace);
            xml.WriteStartElement(DavXml.Prefix, condition, DavXml.Namespace);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }
}
