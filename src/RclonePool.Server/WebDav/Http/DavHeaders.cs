using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace RclonePool.Server.WebDav.Http;

/// <summary>The WebDAV request headers with their defaults: Depth, Overwrite, Timeout, Lock-Token.</summary>
internal static class DavHeaders
{
    /// <summary>The Depth header, or <paramref name="absent"/> when there is none; 400 for any other value.</summary>
    public static Depth Depth(HttpRequest request, Depth absent)
    {
        var value = request.Headers["Depth"];
        if (value.Count == 0)
        {
            return absent;
        }

        return value.ToString().Trim().ToLowerInvariant() switch
        {
            "0" => Http.Depth.Zero,
            "1" => Http.Depth.One,
            "infinity" => Http.Depth.Infinity,
            var other => throw DavException.BadRequest($"Depth: '{other}' is not 0, 1 or infinity."),
        };
    }

    /// <summary>The Overwrite header (T when absent); 400 for anything but T or F.</summary>
    public static bool Overwrite(HttpRequest request)
    {
        var value = request.Headers["Overwrite"];
        if (value.Count == 0)
        {
            return true;
        }

        return value.ToString().Trim() switch
        {
            "T" or "t" => true,
            "F" or "f" => false,
            var other => throw DavException.BadRequest($"Overwrite: '{other}' is not T or F."),
        };
    }

    /// <summary>
    /// The lock timeout to grant: the first value of the Timeout header this server understands (Second-n or Infinite),
    /// capped at <paramref name="max"/>; <paramref name="fallback"/> when none is given.
    /// </summary>
    public static TimeSpan Timeout(HttpRequest request, TimeSpan fallback, TimeSpan max)
    {
        foreach (var item in request.Headers["Timeout"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (item.Equals("Infinite", StringComparison.OrdinalIgnoreCase))
            {
                return max;
            }

            if (item.StartsWith("Second-", StringComparison.OrdinalIgnoreCase) &&
                ulong.TryParse(item.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
            {
                return seconds >= (ulong)max.TotalSeconds ? max : TimeSpan.FromSeconds(seconds);
            }
        }

        return fallback > max ? max : fallback;
    }

    /// <summary>The token of a <c>Lock-Token: &lt;token&gt;</c> header; 400 when missing or malformed.</summary>
    public static string LockToken(HttpRequest request)
    {
        var value = request.Headers["Lock-Token"].ToString().Trim();
        if (value.Length < 3 || value[0] != '<' || value[^1] != '>')
        {
            throw DavException.BadRequest("UNLOCK needs a Lock-Token header of the form <opaquelocktoken:...>.");
        }

        return value[1..^1].Trim();
    }
}
