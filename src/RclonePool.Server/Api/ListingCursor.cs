using System.Buffers.Text;
using System.Text;

namespace RclonePool.Server.Api;

/// <summary>
/// The opaque cursor of a paged listing: the last path of the page, base64url-encoded. Listings are sorted by path, so the
/// next page is what comes after it; a cursor stays valid while entries are added or removed around it.
/// </summary>
internal static class ListingCursor
{
    public static string Encode(string lastPath) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastPath));

    /// <summary>The path a cursor names; BadRequest when it is not one this server handed out.</summary>
    public static string Decode(string cursor)
    {
        try
        {
            var path = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (path.Length > 0 && path[0] == '/')
            {
                return path;
            }
        }
        catch (FormatException)
        {
        }

        throw ApiProblems.BadRequest($"The cursor '{cursor}' is not one this server returned; start again without a cursor.");
    }
}
