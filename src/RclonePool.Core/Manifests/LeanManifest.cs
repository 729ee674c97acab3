using System.Security.Cryptography;

namespace RclonePool.Core.Manifests;

/// <summary>
/// The lean form of a manifest (<see cref="Manifest.Lean"/>): what 'verify --quick' and 'orphans' read of every file at
/// once, and nothing else. It keeps the file's identity, path, kind, size, times and SHA-256, and for each chunk its
/// lengths, codec and locations (remote, object, role, shard, stored length); it drops the block digests, the stored
/// digests, plugins and properties, and the inline data once it is checked against its SHA-256 (data that does not
/// match stays, with its digest, so the check that reports it sees it). Repeated strings (the pool id, remote names,
/// codecs) are interned. A lean manifest describes a file for these checks only: it is never written or indexed.
/// </summary>
internal static class LeanManifest
{
    public static Manifest Of(Manifest manifest, string fileId)
    {
        var chunks = new ChunkEntry[manifest.Chunks.Count];
        for (var i = 0; i < chunks.Length; i++)
        {
            chunks[i] = Of(manifest.Chunks[i]);
        }

        return manifest with
        {
            Format = manifest.Format == Manifest.FormatName ? Manifest.FormatName : manifest.Format,
            PoolId = string.Intern(manifest.PoolId),
            FileId = manifest.FileId == fileId ? fileId : manifest.FileId,
            BlockHash = string.Intern(manifest.BlockHash),
            Compression = manifest.Compression is null ? null : string.Intern(manifest.Compression),
            Plugins = null,
            Properties = null,
            Chunks = chunks,
        };
    }

    private static ChunkEntry Of(ChunkEntry chunk)
    {
        if (chunk.Inline is { } inline && !InlineMatches(inline, chunk.Sha256))
        {
            return chunk;
        }

        var locations = new ChunkLocation[chunk.Locations.Count];
        for (var i = 0; i < locations.Length; i++)
        {
            var location = chunk.Locations[i];
            locations[i] = location with { Remote = string.Intern(location.Remote), StoredSha256 = null, BlockHashes = null };
        }

        return chunk with
        {
            Sha256 = "",
            BlockHashes = "",
            Codec = chunk.Codec is null ? null : string.Intern(chunk.Codec),
            StoredSha256 = null,
            StoredBlockHashes = null,
            StoredBlockLengths = null,
            Inline = null,
            Locations = locations,
        };
    }

    private static bool InlineMatches(string inline, string sha256)
    {
        try
        {
            return string.Equals(Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(inline))), sha256, StringComparison.Ordinal);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
