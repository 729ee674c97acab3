using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using RclonePool.Core.Paths;

namespace RclonePool.Server.WebDav;

/// <summary>A request path decoded once and confined to the pool, with whether it was written with a trailing slash.</summary>
internal readonly record struct RequestTarget(PoolPath Path, bool TrailingSlash)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Decodes the raw path of a request (or of a Destination or If header) exactly once. Encoded slashes,
    /// backslashes and NUL, '.' and '..' segments in any encoding, malformed or overlong UTF-8 and control characters
    /// are refused with 400; a path outside <paramref name="pathBase"/> gets 404.
    /// </summary>
    public static RequestTarget Decode(ReadOnlySpan<char> rawPath, string pathBase)
    {
        if (rawPath.IsEmpty || rawPath[0] != '/')
        {
            throw DavException.BadRequest("The request path must start with '/'.");
        }

        var bytes = ArrayPool<byte>.Shared.Rent(rawPath.Length);
        try
        {
            var count = 0;
            for (var i = 0; i < rawPath.Length; i++)
            {
                var c = rawPath[i];
                if (c == '%')
                {
                    if (i + 2 >= rawPath.Length || !IsHex(rawPath[i + 1]) || !IsHex(rawPath[i + 2]))
                    {
                        throw DavException.BadRequest("The request path has a '%' that is not followed by two hex digits.");
                    }

                    var b = (byte)((HexValue(rawPath[i + 1]) << 4) | HexValue(rawPath[i + 2]));
                    i += 2;
                    switch (b)
                    {
                        case (byte)'/':
                            throw DavException.BadRequest("The request path contains an encoded '/' (%2F); write '/' between names instead.");
                        case (byte)'\\':
                            throw DavException.BadRequest("The request path contains an encoded backslash (%5C).");
                        case 0:
                            throw DavException.BadRequest("The request path contains an encoded NUL (%00).");
                    }

                    bytes[count++] = b;
                }
                else if (c == '\\')
                {
                    throw DavException.BadRequest("The request path contains a backslash; paths use '/'.");
                }
                else if (c <= ' ' || c >= 0x7F || c == '#')
                {
                    throw DavException.BadRequest($"The request path contains the character U+{(int)c:X4}, which must be percent-encoded.");
                }
                else
                {
                    bytes[count++] = (byte)c;
                }
            }

            string decoded;
            try
            {
                decoded = StrictUtf8.GetString(bytes, 0, count);
            }
            catch (DecoderFallbackException)
            {
                throw DavException.BadRequest("The request path is not valid UTF-8 once decoded (overlong or malformed bytes).");
            }

            return Confine(decoded, pathBase);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// Resolves a Destination header or an If-header resource tag: an absolute URI naming this server, or an absolute
    /// path. Returns null when it names another server (the caller answers 502, or treats the tag as not matching).
    /// </summary>
    public static RequestTarget? ResolveUri(string value, HttpRequest request, string pathBase)
    {
        var span = value.AsSpan().Trim();
        var cut = span.IndexOfAny('?', '#');
        if (cut >= 0)
        {
            span = span[..cut];
        }

        if (span.StartsWith("/") && !span.StartsWith("//"))
        {
            return Decode(span, pathBase);
        }

        var schemeEnd = span.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            throw DavException.BadRequest($"'{value}' is neither an absolute URI nor an absolute path.");
        }

        var scheme = span[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = span[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "/" : rest[slash..];
        if (!SameAuthority(authority, request.Host.Value ?? string.Empty, scheme))
        {
            return null;
        }

        return Decode(path, pathBase);
    }

    /// <summary>The href of a pool path as this server publishes it: path base, each name percent-encoded, '/' after collections.</summary>
    public static string Href(string pathBase, PoolPath path, bool collection)
    {
        var builder = new StringBuilder(pathBase.Length + path.Value.Length + 16);
        AppendEncoded(builder, pathBase);
        if (path.IsRoot)
        {
            return builder.Append('/').ToString();
        }

        AppendEncoded(builder, path.Value);
        if (collection)
        {
            builder.Append('/');
        }

        return builder.ToString();
    }

    private static void AppendEncoded(StringBuilder builder, string path)
    {
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append('/').Append(Uri.EscapeDataString(segment));
        }
    }

    private static RequestTarget Confine(string decoded, string pathBase)
    {
        if (pathBase.Length > 0)
        {
            if (!decoded.StartsWith(pathBase, StringComparison.Ordinal) ||
                (decoded.Length > pathBase.Length && decoded[pathBase.Length] != '/'))
            {
                throw new DavException(StatusCodes.Status404NotFound, $"'{decoded}' is outside {pathBase}/, where the pool is served.");
            }

            decoded = decoded.Length == pathBase.Length ? "/" : decoded[pathBase.Length..];
        }

        foreach (var segment in decoded.Split('/'))
        {
            if (segment is "." or "..")
            {
                throw DavException.BadRequest($"The request path contains a '{segment}' segment; give the full path without it.");
            }
        }

        if (!PoolPath.TryParse(decoded, out var path, out var error))
        {
            throw DavException.BadRequest(error);
        }

        return new RequestTarget(path, decoded.Length > 1 && decoded.EndsWith('/'));
    }

    private static bool SameAuthority(ReadOnlySpan<char> a, string b, ReadOnlySpan<char> scheme)
    {
        var defaultPort = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? ":443" : ":80";
        var left = a.EndsWith(defaultPort, StringComparison.Ordinal) ? a[..^defaultPort.Length] : a;
        var right = b.AsSpan();
        right = right.EndsWith(defaultPort, StringComparison.Ordinal) ? right[..^defaultPort.Length] : right;
        return left.Equals(right, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
