using System.Globalization;
using System.Security.Cryptography;

namespace RclonePool.Core.Manifests;

/// <summary>Naming of manifest and chunk objects. Names carry ids, never pool paths.</summary>
public static class ManifestNames
{
    public const string Extension = ".json";
    public const string DescriptorName = "rclonepool.json";

    /// <summary>Name of a manifest pack: <c>pack-&lt;32 hex&gt;.jsonl.zst</c>, or <c>.jsonl</c> for one written before packs were compressed (<see cref="ManifestPack"/>).</summary>
    public const string PackPrefix = "pack-";

    /// <summary>A pack of plain JSON lines, as rclonepool wrote them before compressed packs (pool format 2): still read.</summary>
    public const string PlainPackExtension = ".jsonl";

    /// <summary>A pack written as one zstd frame of its JSON lines (pool format 3): what rclonepool writes now.</summary>
    public const string CompressedPackExtension = ".jsonl.zst";

    /// <summary>"pack-&lt;packId&gt;.jsonl.zst": the name of a new pack, whose bytes are a zstd frame (<see cref="ManifestPack.Serialize"/>).</summary>
    public static string PackName(string packId) => PackPrefix + packId + CompressedPackExtension;

    /// <summary>"pack-&lt;packId&gt;.jsonl": the name a pack of plain JSON lines had (<see cref="ManifestPack.SerializePlain"/>).</summary>
    public static string PlainPackName(string packId) => PackPrefix + packId + PlainPackExtension;

    /// <summary>True for the name of a manifest pack rclonepool wrote, compressed or plain.</summary>
    public static bool IsPackName(string name) => IsCompressedPackName(name) || IsPackName(name, PlainPackExtension);

    /// <summary>True for the name of a compressed manifest pack (<c>pack-&lt;id&gt;.jsonl.zst</c>).</summary>
    public static bool IsCompressedPackName(string name) => IsPackName(name, CompressedPackExtension);

    private static bool IsPackName(string name, string extension) =>
        name.Length == PackPrefix.Length + 32 + extension.Length && name.StartsWith(PackPrefix, StringComparison.Ordinal) &&
        name.EndsWith(extension, StringComparison.Ordinal) && IsId(name.AsSpan(PackPrefix.Length, 32));

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

    /// <summary>Length of a content-addressed chunk id: a whole HMAC-SHA256 in lowercase hex (a random id has 32).</summary>
    public const int ContentIdLength = 64;

    /// <summary>
    /// True for an object named by its content (<c>enable_deduplication</c>): its last path segment is a 64-character
    /// lowercase hex id. Such an object may be named by several manifests, so only <c>rclonepool orphans</c>, which reads
    /// every manifest, ever removes it.
    /// </summary>
    public static bool IsContentAddressed(string objectPath)
    {
        ArgumentNullException.ThrowIfNull(objectPath);
        var name = objectPath.AsSpan(objectPath.LastIndexOf('/') + 1);
        return name.Length == ContentIdLength && IsHex(name);
    }

    public static bool IsId(ReadOnlySpan<char> s) => s.Length == 32 && IsHex(s);

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
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
