using System.Text;

namespace RclonePool.Core.Config;

/// <summary>
/// The spelling of an rclone remote in the config: "name:", "name:path", an on-the-fly backend such as
/// ":local:/srv/d1" or "name,param=value:path", or an absolute local directory; or a storage-backend plugin's
/// "plugin=NAME" (<see cref="StorageBackendRemote"/>). Names follow rclone's rule:
/// letters, digits, '_', '-', '.', '+', '@' and spaces, not starting with '-' or a space, not ending with a space.
/// </summary>
internal static class RemoteSpec
{
    /// <summary>Null when <paramref name="spec"/> looks like an rclone remote, else why not (completing "it ...").</summary>
    public static string? Check(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            return "it is empty";
        }

        if (spec.Any(char.IsControl))
        {
            return "it contains a control character";
        }

        if (spec.Trim().Length != spec.Length)
        {
            return "it starts or ends with a space";
        }

        if (IsLocalAbsolute(spec))
        {
            return null;
        }

        if (StorageBackendRemote.IsPluginRemote(spec))
        {
            return StorageBackendRemote.Check(spec);
        }

        var start = spec[0] == ':' ? 1 : 0;
        if (start == 1 && (spec.Length == 1 || spec[1] is ':' or ','))
        {
            return "the backend after the leading ':' is missing";
        }

        var nameEnd = spec.IndexOfAny([':', ',', '/', '\\'], start);
        if (nameEnd < 0 || spec[nameEnd] is '/' or '\\')
        {
            return spec.StartsWith('~')
                ? "only a leading \"~/\" is expanded, so it is a relative path"
                : "it has no \"name:\" part, so rclone would read it as a directory relative to the current one";
        }

        var name = spec[start..nameEnd];
        if (name.Length == 0)
        {
            return start == 1 ? "the backend after the leading ':' is missing" : "the remote name before ':' is missing";
        }

        if (name.FirstOrDefault(c => !IsNameChar(c)) is var bad && bad != default)
        {
            return $"the remote name \"{name}\" contains '{bad}' (rclone allows letters, digits, '_', '-', '.', '+', '@' and spaces)";
        }

        if (name[0] is '-' or ' ' || name[^1] == ' ')
        {
            return $"the remote name \"{name}\" starts with '-' or a space, or ends with a space";
        }

        if (spec[nameEnd] == ',' && FindClosingColon(spec, nameEnd) < 0)
        {
            return "its connection-string parameters are not closed by ':'";
        }

        return null;
    }

    /// <summary>
    /// The spelling used to compare remotes: runs of '/' collapsed, "." segments and a trailing '/' removed,
    /// so "a:dir/", "a:dir" and "a:dir//." are the same remote. Assumes <see cref="Check"/> passed.
    /// </summary>
    public static string Normalise(string spec)
    {
        if (IsLocalAbsolute(spec))
        {
            return NormalisePath(spec);
        }

        if (StorageBackendRemote.IsPluginRemote(spec))
        {
            return spec;
        }

        var nameEnd = spec.IndexOfAny([':', ','], spec.StartsWith(':') ? 1 : 0);
        if (nameEnd < 0)
        {
            return spec;
        }

        var colon = spec[nameEnd] == ',' ? FindClosingColon(spec, nameEnd) : nameEnd;
        if (colon < 0)
        {
            return spec;
        }

        var path = spec[(colon + 1)..];
        return spec[..(colon + 1)] + (path.Length == 0 ? path : NormalisePath(path));
    }

    private static bool IsLocalAbsolute(string spec) =>
        spec.StartsWith('/') || (OperatingSystem.IsWindows() && spec.Length >= 3 && char.IsAsciiLetter(spec[0]) && spec[1] == ':' && spec[2] is '\\' or '/');

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '+' or '@' or ' ';

    private static int FindClosingColon(string spec, int from)
    {
        var quote = '\0';
        for (var i = from; i < spec.Length; i++)
        {
            var c = spec[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == ':')
            {
                return i;
            }
        }

        return -1;
    }

    private static string NormalisePath(string path)
    {
        var rooted = path.StartsWith('/');
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".");
        var joined = new StringBuilder(rooted ? "/" : string.Empty).AppendJoin('/', segments).ToString();
        return joined.Length == 0 ? path[..1] : joined;
    }
}
