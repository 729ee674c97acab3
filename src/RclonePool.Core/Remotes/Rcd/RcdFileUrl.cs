using System.Text;

namespace RclonePool.Core.Remotes.Rcd;

/// <summary>
/// URLs of the rc file server (<c>--rc-serve</c>): <c>GET /[remote]/path</c>. Every part is percent-escaped; rclone
/// decodes the path and takes the remote up to the first ']'. Its HTTP router cleans paths (and redirects when cleaning
/// changes one), so a remote or path that contains "//" (a connection string with a URL, say) or "." segments cannot be
/// served this way: <see cref="CanServe"/> says so and the caller reads through the rclone command instead.
/// </summary>
internal static class RcdFileUrl
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public static bool CanServe(string remote, string path)
    {
        if (remote.Contains(']', StringComparison.Ordinal) || path.Length == 0)
        {
            return false;
        }

        var decoded = "/[" + remote + "]/" + path;
        if (decoded.Contains("//", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var segment in decoded.Split('/'))
        {
            if (segment is "." or "..")
            {
                return false;
            }
        }

        return true;
    }

    public static Uri For(Uri baseAddress, string remote, string path)
    {
        var url = new StringBuilder(baseAddress.AbsoluteUri);
        url.Append("%5B").Append(Uri.EscapeDataString(remote)).Append("%5D");
        foreach (var segment in path.Split('/'))
        {
            url.Append('/').Append(Uri.EscapeDataString(segment));
        }

        return new Uri(url.ToString(), Verbatim);
    }
}
