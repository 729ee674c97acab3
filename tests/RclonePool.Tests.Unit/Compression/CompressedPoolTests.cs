using RclonePool.Core.Compression;
using RclonePool.Core.Config;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Compression;

/// <summary>enable_compression through the pool: what is stored, and that every read (whole, ranged, cached or not) gives the plain bytes.</summary>
public sealed class CompressedPoolTests
{
    private const int KiB = 1024;
    private const int MiB = 1024 * KiB;
    private static readonly byte[] ZstdMagic = [0x28, 0xB5, 0x2F, 0xFD];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<TestPool> CreateAsync(InMemoryRemoteStore store, bool cache = true) => TestPool.CreateAsync(store, c =>
    {
        c.ChunkSize = MiB;
        c.EnableCompression = true;
        c.EnableChunkCache = cache;
    });

    internal static async Task<byte[]> ReadAsync(StoragePool pool, string path, long offset = 0, long count = -1)
    {
        await using var stream = await pool.OpenReadAsync(PoolPath.Parse(path), offset, count, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    private static Task PutAsync(StoragePool pool, string path, byte[] data) =>
        pool.PutAsync(PoolPath.Parse(path), new MemoryStream(data), data.Length, PutOptions.Default, Ct);

    private static long StoredBytes(InMemoryRemoteStore store) =>
        store.Objects.Where(o => o.Key.Contains(":rclonepool_data/", StringComparison.Ordinal)).Sum(o => (long)o.Value.Length);

    [Fact]
    public async Task A_compressible_file_is_stored_as_zstd_blocks_and_reads_back_bit_exact()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await CreateAsync(store);
        var data = CompressibleData.Text((3 * MiB) + 12_345, 1);
        await PutAsync(test.Pool, "/logs/app.log", data);

        var manifest = (await test.Pool.GetManifestAsync(PoolPath.Parse("/logs/app.log"), Ct))!;
        Assert.Equal(Manifest.CompressedFormatVersion, manifest.FormatVersion);
        Assert.Equal("zstd", manifest.Compression);
        Assert.All(manifest.Chunks, c =>
        {
            Assert.True(c.IsCompressed);
            Assert.Equal(ChunkLayoutBlocks(c.Length), c.StoredBlockLengths!.Count);
            Assert.Equal(c.StoredLength, c.StoredBlockLengths.Sum());
            Assert.Equal(c.StoredLength, c.Locations.Single().StoredLength);
        });

        // What reaches a remote (a crypt remote included) is already compressed: every object starts with a zstd frame.
        Assert.True(StoredBytes(store) < data.Length / 2, $"stored {StoredBytes(store)} of {data.Length}");
        Assert.All(store.Objects.Where(o => o.Key.Contains(":rclonepool_data/", StringComparison.Ordinal)), o => Assert.Equal(ZstdMagic, o.Value.AsSpan(0, 4).ToArray()));
        Assert.Equal(data, await ReadAsync(test.Pool, "/logs/app.log"));

        var reopened = ManifestSerializer.Deserialize(ManifestSerializer.Serialize(manifest), "test");
        Assert.Equal(manifest.Chunks[1].StoredBlockLengths, reopened.Chunks[1].StoredBlockLengths);
    }

    private static int ChunkLayoutBlocks(long length) => (int)((length + (256 * KiB) - 1) / (256 * KiB));

    [Fact]
    public async Task Already_compressed_content_is_stored_raw_after_one_probe_block()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await CreateAsync(store);
        var data = CompressibleData.Random((2 * MiB) + 7, 2);
        await PutAsync(test.Pool, "/video.mkv", data);

        var manifest = (await test.Pool.GetManifestAsync(PoolPath.Parse("/video.mkv"), Ct))!;
        Assert.Equal(Manifest.BaseFormatVersion, manifest.FormatVersion);
        Assert.Null(manifest.Compression);
        Assert.All(manifest.Chunks, c => Assert.False(c.IsCompressed));
        Assert.Equal(data.Length, StoredBytes(store));
        Assert.Equal(data, await ReadAsync(test.Pool, "/video.mkv"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Random_ranges_of_a_mixed_file_match_the_plain_bytes_with_and_without_the_cache(bool cache)
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await CreateAsync(store, cache);

        // Chunk 0 and 3 are random (stored raw), chunks 1, 2 and 4 text (compressed); inside the text, one random
        // block makes a chunk that mixes raw and compressed blocks.
        var data = new byte[(4 * MiB) + 100_000];
        CompressibleData.Random(MiB, 3).CopyTo(data, 0);
        CompressibleData.Text(2 * MiB, 4).CopyTo(data, MiB);
        CompressibleData.Random(256 * KiB, 5).CopyTo(data, (MiB + (512 * KiB)));
        CompressibleData.Random(MiB, 6).CopyTo(data, 3 * MiB);
        CompressibleData.Text(100_000, 7).CopyTo(data, 4 * MiB);
        await PutAsync(test.Pool, "/mixed.bin", data);

        var manifest = (await test.Pool.GetManifestAsync(PoolPath.Parse("/mixed.bin"), Ct))!;
        Assert.Equal([false, true, true, false, true], manifest.Chunks.Select(c => c.IsCompressed));
        Assert.Contains(manifest.Chunks[1].StoredBlockLengths!, l => l == 256 * KiB);
        Assert.Equal(data, await ReadAsync(test.Pool, "/mixed.bin"));

        var random = new Random(11);
        int[] edges = [0, (256 * KiB) - 1, 256 * KiB, MiB - 1, MiB, MiB + 1, (2 * MiB) - 3, 4 * MiB, data.Length - 1];
        for (var i = 0; i < 150; i++)
        {
            var offset = i < edges.Length ? edges[i] : random.Next(data.Length);
            var count = i % 3 == 0 ? random.Next(1, 64 * KiB) : random.Next(1, 3 * MiB);
            count = Math.Min(count, data.Length - offset);
            Assert.Equal(data.AsSpan(offset, count).ToArray(), await ReadAsync(test.Pool, "/mixed.bin", offset, count));
        }
    }

    [Fact]
    public async Task A_pool_written_before_compression_still_reads_and_takes_compressed_files_beside_the_old_ones()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        var fixture = Path.Combine(AppContext.BaseDirectory, "Manifests", "Fixtures", "format-1-2-pool");
        foreach (var file in Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(fixture, file).Replace('\\', '/');
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            store.Put($"{relative[..slash]}:{relative[(slash + 1)..]}", await File.ReadAllBytesAsync(file, Ct));
        }

        await using var test = await TestPool.CreateAsync(store, c =>
        {
            c.RedundancyMode = "replication";
            c.ReplicationFactor = 2;
            c.EnableCompression = true;
        });

        var old = (await test.Pool.GetManifestAsync(PoolPath.Parse("/old/random.bin"), Ct))!;
        Assert.Equal(Manifest.BaseFormatVersion, old.FormatVersion);
        Assert.Equal(CompressibleData.Random(200_000, 17), await ReadAsync(test.Pool, "/old/random.bin"));
        Assert.Equal(Manifest.InlineFormatVersion, (await test.Pool.GetManifestAsync(PoolPath.Parse("/old/small.txt"), Ct))!.FormatVersion);
        Assert.Equal("a small file written by rclonepool before compression existed\n"u8.ToArray(), await ReadAsync(test.Pool, "/old/small.txt"));

        var text = CompressibleData.Text(300_000, 8);
        await PutAsync(test.Pool, "/new.log", text);
        Assert.True((await test.Pool.GetManifestAsync(PoolPath.Parse("/new.log"), Ct))!.Chunks.All(c => c.IsCompressed));
        Assert.Equal(text, await ReadAsync(test.Pool, "/new.log"));
        Assert.Equal(CompressibleData.Random(200_000, 17).AsSpan(70_000, 100_000).ToArray(), await ReadAsync(test.Pool, "/old/random.bin", 70_000, 100_000));
    }

    [Fact]
    public async Task Verify_finds_a_compressed_chunk_intact_and_a_flipped_stored_bit_damaged()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await CreateAsync(store);
        var data = CompressibleData.Text(2 * MiB, 9);
        await PutAsync(test.Pool, "/v.log", data);
        var verifier = new Verifier(test.Pool);

        Assert.True((await verifier.VerifyAsync(new VerifyOptions { Quick = false, Scope = PoolPath.Root }, Ct)).Clean);

        var key = store.Objects.Keys.First(k => k.Contains(":rclonepool_data/", StringComparison.Ordinal));
        var bytes = store.Objects[key].ToArray();
        bytes[bytes.Length / 2] ^= 0x04;
        store.Put(key, bytes);
        var report = await verifier.VerifyAsync(new VerifyOptions { Quick = false, Scope = PoolPath.Root }, Ct);
        Assert.Single(report.Damage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(23)]
    public void A_compression_level_outside_1_to_22_is_refused_with_the_range(int level)
    {
        var problems = ConfigValidator.Validate(new PoolConfig { Remotes = ["a:"], EnableCompression = true, CompressionLevel = level });
        var problem = Assert.Single(problems);
        Assert.Equal("compression_level", problem.Key);
        Assert.Equal($"compression_level is {level}; it must be between 1 and 22.", problem.Message);
    }

    [Fact]
    public void A_compressed_chunk_whose_block_lengths_do_not_add_up_is_refused_as_damaged()
    {
        var manifest = Manifests.ManifestSerializerTests.Sample() with
        {
            FormatVersion = Manifest.CompressedFormatVersion,
            Chunks =
            [
                Manifests.ManifestSerializerTests.Sample().Chunks[0] with { Codec = ZstdBlocks.Codec, StoredLength = 90, StoredSha256 = new string('d', 64), StoredBlockHashes = "AAAA", StoredBlockLengths = [40, 36] },
                Manifests.ManifestSerializerTests.Sample().Chunks[1],
            ],
        };

        var e = Assert.Throws<Core.Errors.PoolException>(() => ManifestSerializer.Deserialize(ManifestSerializer.Serialize(manifest), "m.json"));
        Assert.Contains("add up to 76, not its stored length 90", e.Message, StringComparison.Ordinal);
        var fine = manifest with { Chunks = [manifest.Chunks[0] with { StoredLength = 76 }, manifest.Chunks[1]] };
        Assert.Equal(76, ManifestSerializer.Deserialize(ManifestSerializer.Serialize(fine), "m.json").Chunks[0].StoredLength);
        var old = fine with { FormatVersion = Manifest.InlineFormatVersion };
        Assert.Throws<Core.Errors.PoolException>(() => ManifestSerializer.Deserialize(ManifestSerializer.Serialize(old), "m.json"));
    }
}
