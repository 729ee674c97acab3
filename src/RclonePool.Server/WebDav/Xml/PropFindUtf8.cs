using System.Runtime.CompilerServices;
using RclonePool.Core.Pool;
using RclonePool.Server.WebDav.Http;

namespace RclonePool.Server.WebDav.Xml;

/// <summary>
/// Writes the DAV:response of one entry of a PROPFIND as UTF-8 bytes: constant tags precomputed, the request's property
/// names classified once, values formatted straight into the buffer. It takes the entries without dead properties and
/// without active locks (nearly all of a large listing); <see cref="PropFindXml"/> writes the others, and both must give
/// the same XML. The per-entry methods are compiled fully optimised at their first call (in serve's warm-up), so the
/// first large listing of a fresh server does not run them as unoptimised tier-0 code.
/// </summary>
internal sealed class PropFindUtf8
{
    private static readonly LiveProperty[] FileProperties =
        [LiveProperty.ResourceType, LiveProperty.ContentLength, LiveProperty.LastModified, LiveProperty.CreationDate, LiveProperty.ETag,
            LiveProperty.ContentType, LiveProperty.DisplayName, LiveProperty.LockDiscovery, LiveProperty.SupportedLock];

    private static readonly LiveProperty[] CollectionProperties =
        [LiveProperty.ResourceType, LiveProperty.LastModified, LiveProperty.CreationDate, LiveProperty.ETag,
            LiveProperty.DisplayName, LiveProperty.LockDiscovery, LiveProperty.SupportedLock];

    private readonly DavContext _context;
    private readonly PropFindKind _kind;
    private readonly (PropertyName Name, LiveProperty Live)[] _names;
    private readonly long? _freeBytes;
    private readonly bool _needsLocks;
    private readonly List<int> _found = [];
    private readonly List<int> _absent = [];

    public PropFindUtf8(DavContext context, PropFindRequest request, long? freeBytes)
    {
        _context = context;
        _kind = request.Kind;
        _names = request.Names.Select(n => (n, LiveProperties.Of(n))).ToArray();
        _freeBytes = freeBytes;
        _needsLocks = request.Kind == PropFindKind.AllProp || _names.Any(n => n.Live == LiveProperty.LockDiscovery);
    }

    /// <summary>Writes the entry's response; false (nothing written) when it has dead properties or active locks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryWrite(Utf8XmlOutput output, PoolEntry entry)
    {
        if (entry.Properties.Count > 0 || (_needsLocks && _context.Locks.Covering(entry.Path).Count > 0))
        {
            return false;
        }

        output.WriteRaw("<D:response><D:href>"u8);
        WriteHref(output, entry);
        output.WriteRaw("</D:href>"u8);
        var live = entry.IsDirectory ? CollectionProperties : FileProperties;
        switch (_kind)
        {
            case PropFindKind.PropName:
                output.WriteRaw("<D:propstat><D:prop>"u8);
                foreach (var property in live)
                {
                    WriteEmpty(output, property);
                }

                output.WriteRaw("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"u8);
                break;

            case PropFindKind.AllProp:
                output.WriteRaw("<D:propstat><D:prop>"u8);
                foreach (var property in live)
                {
                    WriteValue(output, property, entry);
                }

                _absent.Clear();
                for (var i = 0; i < _names.Length; i++)
                {
                    var property = _names[i].Live;
                    if (property != LiveProperty.None && Array.IndexOf(live, property) >= 0)
                    {
                        continue; // already written
                    }

                    if (Has(entry, property))
                    {
                        WriteValue(output, property, entry);
                    }
                    else
                    {
                        _absent.Add(i);
                    }
                }

                output.WriteRaw("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"u8);
                WriteMissing(output, _absent);
                break;

            case PropFindKind.Prop:
                _found.Clear();
                _absent.Clear();
                for (var i = 0; i < _names.Length; i++)
                {
                    (Has(entry, _names[i].Live) ? _found : _absent).Add(i);
                }

                if (_found.Count > 0)
                {
                    output.WriteRaw("<D:propstat><D:prop>"u8);
                    foreach (var i in _found)
                    {
                        WriteValue(output, _names[i].Live, entry);
                    }

                    output.WriteRaw("</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"u8);
                }

                WriteMissing(output, _absent);
                break;
        }

        output.WriteRaw("</D:response>"u8);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteHref(Utf8XmlOutput output, PoolEntry entry)
    {
        output.WriteEncodedPath(_context.Services.PathBase);
        if (entry.Path.IsRoot)
        {
            output.WriteRaw("/"u8);
            return;
        }

        output.WriteEncodedPath(entry.Path.Value);
        if (entry.IsDirectory)
        {
            output.WriteRaw("/"u8);
        }
    }

    /// <summary><see cref="LiveProperties.Has"/> for an entry without dead properties.</summary>
    private bool Has(PoolEntry entry, LiveProperty property) => property switch
    {
        LiveProperty.None or LiveProperty.QuotaUsed => false,
        LiveProperty.DisplayName => true,
        LiveProperty.QuotaAvailable => entry.IsDirectory && _freeBytes is not null,
        _ => Array.IndexOf(entry.IsDirectory ? CollectionProperties : FileProperties, property) >= 0,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteValue(Utf8XmlOutput output, LiveProperty property, PoolEntry entry)
    {
        switch (property)
        {
            case LiveProperty.ResourceType:
                output.WriteRaw(entry.IsDirectory ? "<D:resourcetype><D:collection /></D:resourcetype>"u8 : "<D:resourcetype />"u8);
                break;
            case LiveProperty.ContentLength:
                output.WriteRaw("<D:getcontentlength>"u8);
                output.WriteInt64(entry.Size);
                output.WriteRaw("</D:getcontentlength>"u8);
                break;
            case LiveProperty.LastModified:
                output.WriteRaw("<D:getlastmodified>"u8);
                output.WriteHttpDate(ConditionalRequest.LastModified(entry));
                output.WriteRaw("</D:getlastmodified>"u8);
                break;
            case LiveProperty.CreationDate:
                output.WriteRaw("<D:creationdate>"u8);
                output.WriteUtcSeconds(entry.Created.UtcDateTime);
                output.WriteRaw("</D:creationdate>"u8);
                break;
            case LiveProperty.ETag:
                output.WriteRaw("<D:getetag>"u8);
                if (entry.Sha256 is { Length: >= 32 } sha256)
                {
                    output.WriteRaw("\""u8); // PoolEntry.ETag of a file, without the string
                    output.WriteAscii(sha256.AsSpan(0, 32));
                    output.WriteRaw("\""u8);
                }
                else
                {
                    output.WriteAscii(entry.ETag);
                }

                output.WriteRaw("</D:getetag>"u8);
                break;
            case LiveProperty.ContentType:
                output.WriteRaw("<D:getcontenttype>"u8);
                output.WriteAscii(_context.Services.ContentTypeOf(entry.Path.Name));
                output.WriteRaw("</D:getcontenttype>"u8);
                break;
            case LiveProperty.DisplayName:
                output.WriteRaw("<D:displayname>"u8);
                var path = entry.Path.Value.AsSpan();
                output.WriteText(path[(path.LastIndexOf('/') + 1)..]);
                output.WriteRaw("</D:displayname>"u8);
                break;
            case LiveProperty.LockDiscovery:
                output.WriteRaw("<D:lockdiscovery />"u8); // an entry with active locks goes to PropFindXml
                break;
            case LiveProperty.SupportedLock:
                output.WriteRaw(
                    "<D:supportedlock><D:lockentry><D:lockscope><D:exclusive /></D:lockscope><D:locktype><D:write /></D:locktype></D:lockentry><D:lockentry><D:lockscope><D:shared /></D:lockscope><D:locktype><D:write /></D:locktype></D:lockentry></D:supportedlock>"u8);
                break;
            case LiveProperty.QuotaAvailable:
                output.WriteRaw("<D:quota-available-bytes>"u8);
                output.WriteInt64(_freeBytes!.Value);
                output.WriteRaw("</D:quota-available-bytes>"u8);
                break;
        }
    }

    private void WriteMissing(Utf8XmlOutput output, List<int> absent)
    {
        if (absent.Count == 0)
        {
            return;
        }

        output.WriteRaw("<D:propstat><D:prop>"u8);
        foreach (var i in absent)
        {
            var (name, property) = _names[i];
            if (property != LiveProperty.None)
            {
                WriteEmpty(output, property);
            }
            else if (name.IsDav)
            {
                output.WriteRaw("<D:"u8);
                output.WriteText(name.LocalName);
                output.WriteRaw(" />"u8);
            }
            else
            {
                output.WriteRaw("<"u8);
                output.WriteText(name.LocalName);
                if (name.Namespace.Length > 0)
                {
                    output.WriteRaw(" xmlns=\""u8);
                    output.WriteAttributeValue(name.Namespace);
                    output.WriteRaw("\""u8);
                }

                output.WriteRaw(" />"u8);
            }
        }

        output.WriteRaw("</D:prop><D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>"u8);
    }

    private static void WriteEmpty(Utf8XmlOutput output, LiveProperty property)
    {
        output.WriteRaw("<D:"u8);
        output.WriteRaw(LiveProperties.LocalNameUtf8(property));
        output.WriteRaw(" />"u8);
    }
}
