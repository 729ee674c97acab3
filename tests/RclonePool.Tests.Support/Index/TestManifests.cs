using RclonePool.Core.Manifests;

namespace RclonePool.Tests.Support.Index;

/// <summary>Valid manifests for index tests: a file has one chunk stored on the given remotes.</summary>
public static class TestManifests
{
    public static readonly DateTimeOffset BaseTime = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private const string PoolId = "00112233445566778899aabbccddeeff";

    public static string Id(int n) => n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    public static Manifest FileManifest(
        string path,
        string? fileId = null,
        long revision = 1,
        long size = 100,
        DateTimeOffset? written = null,
        DateTimeOffset? modified = null,
        IReadOnlyList<(string Remote, long Bytes)>? stored = null,
        string? sha256 = null)
    {
        stored ??= [("r1:", size)];
        var chunks = size == 0
            ? []
            : new[]
            {
                new ChunkEntry
                {
                    Index = 0,
                    Offset = 0,
                    Length = size,
                    Sha256 = new string('c', 64),
                    BlockHashes = string.Empty,
                    Locations = [.. stored.Select((s, i) => new ChunkLocation
                    {
                        Remote = s.Remote,
                        Object = $"rclonepool_data/ab/chunk{i}",
                        Role = i == 0 ? LocationRole.Data : LocationRole.Replica,
                        StoredLength = s.Bytes,
                    })],
                },
            };
        return new Manifest
        {
            PoolId = PoolId,
            FileId = fileId ?? ManifestNames.NewId(),
            Revision = revision,
            Kind = EntryKind.File,
            Path = path,
            Size = size,
            Created = BaseTime,
            Modified = modified ?? BaseTime,
            Written = written ?? BaseTime,
            Sha256 = sha256 ?? new string('f', 64),
            ChunkSize = Math.Max(size, 1),
            BlockSize = 65536,
            Chunks = chunks,
        };
    }

    public static Manifest DirectoryManifest(string path, string? fileId = null, long revision = 1, DateTimeOffset? modified = null) => new()
    {
        PoolId = PoolId,
        FileId = fileId ?? ManifestNames.NewId(),
        Revision = revision,
        Kind = EntryKind.Directory,
        Path = path,
        Created = BaseTime,
        Modified = modified ?? BaseTime,
        Written = BaseTime,
    };
}
