using RclonePool.Tests.Integration.Faults;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Chunking;

/// <summary>
/// chunking "cdc" through the real CLI and rclone over local directories: a copy of a file with bytes inserted near its
/// start stores only the few chunks around the insertion, whichever way it is uploaded, and reads back exactly.
/// </summary>
public sealed class CliCdcTests
{
    private const int KiB = 1024;

    private static Task<FaultPool> CreateAsync(string redundancy) => FaultPool.CreateAsync(local: 3, configure: c =>
    {
        c["enable_deduplication"] = true;
        c["chunking"] = "cdc";
        c["cdc_min_chunk_size"] = "16K";
        c["cdc_avg_chunk_size"] = "64K";
        c["cdc_max_chunk_size"] = "256K";
        c["redundancy_mode"] = redundancy;
        c["parity_data_shards"] = 2;
        c["parity_parity_shards"] = 1;
    });

    private static async Task AssertReadsAsync(FaultPool pool, string path, byte[] expected, long offset = 0, long count = -1)
    {
        var read = await pool.OkAsync("cat", path, "--offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture), "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var want = expected.AsSpan((int)offset, count < 0 ? expected.Length - (int)offset : (int)count);
        Assert.True(want.SequenceEqual(read.StdOutBytes), $"{path} [{offset}, +{count}] read back {read.StdOutBytes.Length} bytes that differ from the {want.Length} expected");
    }

    [Theory]
    [InlineData("none")]
    [InlineData("parity")]
    public async Task A_copy_with_bytes_inserted_near_the_start_stores_only_a_few_new_chunks(string redundancy)
    {
        await using var pool = await CreateAsync(redundancy);
        var original = LocalPool.RandomBytes(6 * 1024 * KiB, 17);
        byte[] shifted = [.. original.AsSpan(0, 10_000), .. LocalPool.RandomBytes(3000, 18), .. original.AsSpan(10_000)];

        await pool.OkAsync("upload", await pool.WriteLocalAsync("original.img", original), "/original.img");
        var manifest = pool.ManifestOf("/original.img");
        var objectsPerChunk = redundancy == "parity" ? 3 : 1;
        Assert.True(manifest.Chunks.Count is > 50 and < 150, $"{manifest.Chunks.Count} chunks of about 64 KiB in 6 MiB");
        Assert.True(manifest.Chunks.Select(c => c.Length).Distinct().Count() > manifest.Chunks.Count / 2, "chunk lengths follow the content");
        var before = pool.ChunkFiles().Count();
        Assert.Equal(manifest.Chunks.Sum(c => c.Locations.Count), before);

        await pool.OkAsync("upload", await pool.WriteLocalAsync("shifted.img", shifted), "/shifted.img");

        // Counted on the remotes: the chunk holding the insertion (and now and then its neighbour) is all that is new.
        var added = pool.ChunkFiles().Count() - before;
        Assert.InRange(added, objectsPerChunk, 3 * objectsPerChunk);
        await AssertReadsAsync(pool, "/shifted.img", shifted);
        var random = new Random(3);
        for (var i = 0; i < 6; i++)
        {
            var offset = random.Next(shifted.Length);
            await AssertReadsAsync(pool, "/shifted.img", shifted, offset, Math.Min(shifted.Length - offset, random.Next(1, 300 * KiB)));
        }

        await pool.OkAsync("verify");
        Assert.Equal(pool.ReferencedChunkFiles().Order(StringComparer.Ordinal), pool.ChunkFiles().Order(StringComparer.Ordinal));
    }
}
