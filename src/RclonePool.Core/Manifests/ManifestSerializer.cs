using System.Text.Json;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Manifests;

/// <summary>Reads and writes manifests and pool descriptors, refusing anything malformed or from a newer format.</summary>
public static class ManifestSerializer
{
    public static byte[] Serialize(Manifest manifest) =>
        JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.Manifest);

    public static string ToIndentedJson(Manifest manifest) =>
        JsonSerializer.Serialize(manifest, new ManifestJsonContext(new JsonSerializerOptions(ManifestJsonContext.Default.Options) { WriteIndented = true }).Manifest);

    /// <summary>Parses and validates a manifest; <paramref name="source"/> names it in error messages.</summary>
    public static Manifest Deserialize(ReadOnlySpan<byte> utf8, string source)
    {
        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(utf8, ManifestJsonContext.Default.Manifest);
        }
        catch (JsonException e)
        {
            throw new PoolException(PoolErrorKind.Integrity, $"The manifest {source} is not valid JSON ({e.Message}); run 'rclonepool index rebuild' to use the other remotes' copies.", e);
        }

        if (manifest is null)
        {
            throw new PoolException(PoolErrorKind.Integrity, $"The manifest {source} is empty.");
        }

        Validate(manifest, source);
        return manifest;
    }

    /// <summary>Dead properties as stored beside a listing row in the index.</summary>
    public static byte[] SerializeProperties(IReadOnlyDictionary<string, string> properties) =>
        JsonSerializer.SerializeToUtf8Bytes(properties.ToDictionary(StringComparer.Ordinal), ManifestJsonContext.Default.DictionaryStringString);

    public static IReadOnlyDictionary<string, string> DeserializeProperties(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, ManifestJsonContext.Default.DictionaryStringString) ?? [];

    public static byte[] Serialize(PoolDescriptor descriptor) =>
        JsonSerializer.SerializeToUtf8Bytes(descriptor, ManifestJsonContext.Default.PoolDescriptor);

    public static PoolDescriptor DeserializeDescriptor(ReadOnlySpan<byte> utf8, string source)
    {
        PoolDescriptor? descriptor;
        try
        {
            descriptor = JsonSerializer.Deserialize(utf8, ManifestJsonContext.Default.PoolDescriptor);
        }
        catch (JsonException e)
        {
            throw new PoolException(PoolErrorKind.Conflict, $"{source} exists but is not an rclonepool pool descriptor ({e.Message}); point the config at an empty remote or directory.", e);
        }

        if (descriptor is null || descriptor.Format != PoolDescriptor.FormatName)
        {
            throw new PoolException(PoolErrorKind.Conflict, $"{source} exists but is not an rclonepool pool descriptor; point the config at an empty remote or directory.");
        }

        if (descriptor.FormatVersion > PoolDescriptor.CurrentFormatVersion)
        {
            throw new PoolException(PoolErrorKind.Environment, $"{source} was written by a newer rclonepool (pool format {descriptor.FormatVersion}); upgrade rclonepool to use this pool.");
        }

        return descriptor;
    }

    private static void Validate(Manifest m, string source)
    {
        string? problem = null;
        if (m.Format != Manifest.FormatName)
        {
            problem = $"its format is '{m.Format}', not '{Manifest.FormatName}'";
        }
        else if (m.FormatVersion > Manifest.CurrentFormatVersion)
        {
            throw new PoolException(PoolErrorKind.Environment, $"The manifest {source} was written by a newer rclonepool (format {m.FormatVersion}, this one reads up to {Manifest.CurrentFormatVersion}); upgrade rclonepool.");
        }
        else if (m.FormatVersion < 1 || !ManifestNames.IsId(m.FileId) || m.Revision < 1 || m.Size < 0)
        {
            problem = "its format version, file id, revision or size is out of range";
        }
        else if (!Paths.PoolPath.TryParse(m.Path, out var parsed, out _) || parsed.Value != m.Path || parsed.IsRoot)
        {
            problem = $"its path '{m.Path}' is not a normalised pool path";
        }
        else if (m.Kind == EntryKind.File)
        {
            problem = ValidateChunks(m);
        }

        if (problem is not null)
        {
            throw new PoolException(PoolErrorKind.Integrity, $"The manifest {source} is damaged: {problem}.");
        }
    }

    private static string? ValidateChunks(Manifest m)
    {
        if (m.Sha256 is null || m.Sha256.Length != 64)
        {
            return "it has no whole-file SHA-256";
        }

        if (m.BlockSize <= 0 || m.ChunkSize <= 0)
        {
            return "its chunk or block size is not positive";
        }

        long expected = 0;
        for (var i = 0; i < m.Chunks.Count; i++)
        {
            var c = m.Chunks[i];
            if (c.Index != i || c.Offset != expected || c.Length <= 0 || c.Length > m.ChunkSize)
            {
                return $"chunk {i} does not continue the previous one (offset {c.Offset}, length {c.Length})";
            }

            if (c.Inline is { } inline)
            {
                if (c.Locations.Count != 0 || m.FormatVersion < Manifest.InlineFormatVersion || !IsBase64Of(inline, c.Length))
                {
                    return $"chunk {i} holds inline data that does not fit its length";
                }
            }
            else if (c.Locations.Count == 0)
            {
                return $"chunk {i} has no stored location";
            }

            if (c.IsCompressed && ValidateCompressed(m, c) is { } compressed)
            {
                return $"chunk {i} {compressed}";
            }

            var width = m.Redundancy.DataShards + m.Redundancy.ParityShards;
            if (c.Locations.Any(l => l.Role == LocationRole.Shard && (m.Redundancy.DataShards <= 0 || m.Redundancy.ParityShards <= 0 || l.Shard is not { } s || s < 0 || s >= width)))
            {
                return $"chunk {i} has a shard outside its {m.Redundancy.DataShards}+{m.Redundancy.ParityShards} stripe";
            }

            expected += c.Length;
        }

        return expected == m.Size ? null : $"its chunks cover {expected} bytes but the size is {m.Size}";
    }

    /// <summary>What is wrong with a coded chunk's codec and stored-form fields, or null.</summary>
    private static string? ValidateCompressed(Manifest m, ChunkEntry c)
    {
        if (!ChunkCodec.TryParse(c.Codec, out var codec))
        {
            return $"uses the codec '{c.Codec}', which this rclonepool does not know";
        }

        if (codec.PluginIds.Any() && m.FormatVersion < Manifest.PluginCodecFormatVersion)
        {
            return $"uses the plugin codec '{c.Codec}' in a manifest of format {m.FormatVersion}";
        }

        if (codec.PluginIds.FirstOrDefault(id => m.Plugins?.Any(p => p.Id == id) != true) is { } unlisted)
        {
            return $"uses the plugin {unlisted}, which the manifest's 'plugins' does not list";
        }

        if (m.FormatVersion < Manifest.CompressedFormatVersion || c.Inline is not null || c.StoredSha256 is not { Length: 64 } || c.StoredBlockHashes is null
            || c.StoredBlockLengths is not { } lengths || lengths.Count != Chunking.ChunkLayout.BlockCount(c.Length, m.BlockSize))
        {
            return "is compressed but lacks its stored length, hashes or block lengths";
        }

        long total = 0;
        for (var b = 0; b < lengths.Count; b++)
        {
            var plain = Math.Min(m.BlockSize, c.Length - ((long)b * m.BlockSize));
            if (lengths[b] <= 0 || lengths[b] > plain + (codec.MayGrow ? ChunkCodec.MaxBlockGrowth : 0))
            {
                return $"has a stored block length {lengths[b]} for block {b} of {plain} plain bytes";
            }

            total += lengths[b];
        }

        return total == c.StoredLength ? null : $"has block lengths that add up to {total}, not its stored length {c.StoredLength}";
    }

    private static bool IsBase64Of(string base64, long length)
    {
        var bytes = new byte[(base64.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(base64, bytes, out var written) && written == length;
    }
}
