using System.Globalization;
using System.Security.Cryptography;

namespace RclonePool.Core.Manifests;

/// <summary>Naming of manifest and chunk objects. Names carry ids, never pool paths.</summary>
public static class ManifestNames
{
    public const string Extension = ".json";
    public const string DescriptorName = "rclonepool.json";

    /// <summary>"&lt;fileId&gt;-r&lt;revision&gt;.json".</summary>
    public static string ObjectName(string fileId, long revision) =>
        string.Create(CultureInfo.InvariantCulture, $"{fileId}-r{revision}{Extension}");

    /// <summary>Parses a manifest object name; false for anything rclonepool did not write.</summary>
    public static bool TryParse(string name, out string fileId, out long revision)
    {
        fileId = string.Empty;
        revision = 0;
        if (!name.EndsWith(Extension, StringComparison.Ordinal))
        {
            return false;
        }

        var stem = name[..^Extension.Length];
        var dash = stem.LastIndexOf("-r", StringComparison.Ordinal);
        if (dash != 32 || !IsId(stem.AsSpan(0, dash)))
        {
            return false;
        }

        if (!long.TryParse(stem.AsSpan(dash + 2), NumberStyles.None, CultureInfo.InvariantCulture, out revision) || revision < 1)
        {
            return false;
        }

        fileId = stem[..dash];
        return true;
    }

    /// <summary>A fresh 128-bit random id as 32 lowercase hex characters; never reused.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Chunk object path under the data prefix, fanned out by the id's first two characters.</summary>
    public static string ChunkObject(string dataPrefix, string chunkId) => $"{dataPrefix}/{chunkId[..2]}/{chunkId}";

    public static bool IsId(ReadOnlySpan<char> s)
    {
        if (s.Length != 32)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
