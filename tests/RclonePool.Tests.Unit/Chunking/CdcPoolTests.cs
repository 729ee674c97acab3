using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RclonePool.Core.Config;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Compression;
using RclonePool.Tests.Unit.Jobs;
using RclonePool.Tests.Unit.Redundancy;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Chunking;

/// <summary>
/// chunking "cdc" through the pool over in-memory remotes: chunks cut where the content says, every read (whole,
/// ranged, degraded) exact, and a shifted copy storing only the chunks around the shift.
/// </summary>
public sealed class CdcPoolTests
{
    private const int KiB = 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>4 KiB .. 16 KiB .. 64 KiB: the smallest sizes the config allows, so a MiB makes dozens of chunks.</summary>
    private static void Cdc(PoolConfig c)
    {
        c.EnableDeduplication = true;
        c.Chunking = "cdc";
        c.CdcMinChunkSize = 4 * KiB;
        c.CdcAvgChunkSize = 16 * KiB;
        c.CdcMaxChunkSize = 64 * KiB;
        c.ChunkSize = 1024 * KiB; // not used for cutting under cdc
    }

    private static async Task<Manifest> PutAsync(StoragePool pool, string path, byte[] data, string? localFile = null)
    {
        if (localFile is null)
        {
            await pool.PutAsync(PoolPath.Parse(path), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        }
        else
        {
            await File.WriteAllBytesAsync(localFile, data, Ct);
            await using var file = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
            await pool.PutAsync(PoolPath.Parse(path), file, data.Length, PutOptions.Default, Ct);
        }

        return (await pool.GetManifestAsync(PoolPath.Parse(path), Ct))!;
    }

    private static IEnumerable<string> DataObjects(InMemoryRemoteStore store) =>
        store.Objects.Keys.Where(k => k.Contains(":rclonepool_data/", StringComparison.Ordinal));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_file_is_cut_at_content_defined_boundaries_and_the_manifest_records_each_offset(bool fromLocalFile)
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store, Cdc);
        var data = CdcCuts.Random((1024 * KiB) + 333, 1);

        var manifest = await PutAsync(test.Pool, "/f.bin", data, fromLocalFile ? Path.Combine(test.Directory, "f.bin") : null);

        var expected = CdcCuts.Lengths(data, new Core.Chunking.CdcSizes(4 * KiB, 16 * KiB, 64 * KiB));
        Assert.Equal(expected.Select(l => (long)l), manifest.Chunks.Select(c => c.Length));
        Assert.True(manifest.Chunks.Select(c => c.Length).Distinct().Count() > 10, "chunk lengths vary with the content");
        Assert.Equal(64 * KiB, manifest.ChunkSize);
        Assert.Equal(16 * KiB, manifest.BlockSize);
        Assert.Equal(Manifest.DedupFormatVersion, manifest.FormatVersion); // no new format: older readers take variable chunks
        Assert.Equal(data, await CompressedPoolTests.ReadAsync(test.Pool, "/f.bin"));
        var reread = ManifestSerializer.Deserialize(ManifestSerializer.Serialize(manifest), "test");
        Assert.Equal(manifest.Chunks.Select(c => (c.Offset, c.Length)), reread.Chunks.Select(c => (c.Offset, c.Length)));
    }

    [Property(MaxTest = 20)]
    public Property Ranged_reads_of_a_cdc_file_return_exactly_the_bytes_asked_for() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), Gen.Elements(false, true).ToArbitrary(), (seed, compressed) => RangesAsync(seed, compressed).GetAwaiter().GetResult());

    private static async Task RangesAsync(int seed, bool compressed)
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store, c =>
        {
            Cdc(c);
            c.EnableCompression = compressed;
        });
        var random = new Random(seed);
        var data = compressed ? CompressibleData.Text(random.Next(1, 600 * KiB), seed) : CdcCuts.Random(random.Next(1, 600 * KiB), seed);
        var manifest = await PutAsync(test.Pool, "/r.bin", data);
        var edges = manifest.Chunks.SelectMany(c => new[] { c.Offset, c.Offset + c.Length - 1, c.Offset + c.Length }).Where(o => o < data.Length).ToList();
        for (var i = 0; i < 25; i++)
        {
            var offset = i % 2 == 0 && edges.Count > 0 ? (int)edges[random.Next(edges.Count)] : random.Next(data.Length);
            var count = Math.Min(data.Length - offset, random.Next(1, i % 3 == 0 ? 200 * KiB : 40 * KiB));
            Assert.Equal(data.AsSpan(offset, count).ToArray(), await CompressedPoolTests.ReadAsync(test.Pool, "/r.bin", offset, count));
        }
    }

    [Fact]
    public async Task A_copy_with_bytes_inserted_near_the_start_stores_only_the_chunks_around_the_insertion()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store, Cdc);
        var original = CdcCuts.Random(2048 * KiB, 2);
        byte[] shifted = [.. original.AsSpan(0, 5000), .. CdcCuts.Random(1000, 3), .. original.AsSpan(5000)];

        var first = await PutAsync(test.Pool, "/original.img", original);
        var objectsOfOne = DataObjects(store).Count();
        var second = await PutAsync(test.Pool, "/shifted.img", shifted);

        var added = DataObjects(store).Count() - objectsOfOne;
        Assert.Equal(first.Chunks.Count, objectsOfOne);
        Assert.InRange(added, 1, 3);
        Assert.True(second.Chunks.Count > 100);
        Assert.Equal(shifted, await CompressedPoolTests.ReadAsync(test.Pool, "/shifted.img"));

        // The same content uploaded from a local file instead of a stream is cut the same way: nothing new at all.
        await PutAsync(test.Pool, "/again.img", shifted, Path.Combine(test.Directory, "again.img"));
        Assert.Equal(objectsOfOne + added, DataObjects(store).Count());
    }

    [Fact]
    public async Task Parity_stripes_of_cdc_chunks_read_without_a_remote_and_rebuild_and_verify_clean()
    {
        var store = new InMemoryRemoteStore(SixRemotes.Names);
        await using var test = await SixRemotes.CreateAsync(store, c =>
        {
            SixRemotes.Parity(3, 2)(c);
            Cdc(c);
            c.CdcMinChunkSize = 16 * KiB;
            c.CdcAvgChunkSize = 64 * KiB;
            c.CdcMaxChunkSize = 256 * KiB;
        });
        var data = CdcCuts.Random(1500 * KiB, 4);
        var manifest = await PutAsync(test.Pool, "/p.bin", data);
        Assert.Contains(manifest.Chunks, c => c.Locations.Count == 5);

        SixRemotes.LoseData(store, "b:");
        SixRemotes.LoseData(store, "e:");
        var random = new Random(9);
        Assert.Equal(data, await CompressedPoolTests.ReadAsync(test.Pool, "/p.bin"));
        for (var i = 0; i < 20; i++)
        {
            var offset = random.Next(data.Length);
            var count = Math.Min(data.Length - offset, random.Next(1, 300 * KiB));
            Assert.Equal(data.AsSpan(offset, count).ToArray(), await CompressedPoolTests.ReadAsync(test.Pool, "/p.bin", offset, count));
        }

        var rebuilt = await new Restorer(test.Pool).RestoreRedundancyAsync(PoolPath.Root, null, null, Ct);
        Assert.True(rebuilt.Complete, string.Join("; ", rebuilt.Failed.Select(f => f.Path + ": " + f.Error)));
        var verify = await new Verifier(test.Pool).VerifyAsync(new VerifyOptions(), Ct);
        Assert.True(verify.Clean, string.Join("; ", verify.Damage));
        Assert.Equal(data, await CompressedPoolTests.ReadAsync(test.Pool, "/p.bin"));
    }

    [Fact]
    public async Task Repair_from_a_local_copy_rewrites_a_lost_cdc_chunk()
    {
        await using var jobs = await PoolJobs.CreateAsync(Cdc);
        var data = CdcCuts.Random(700 * KiB, 5);
        var manifest = await jobs.PutAsync("/f", data);
        var lost = manifest.Chunks[3].Locations[0];
        jobs.Memory.Remove(PoolJobs.Key(lost));

        var report = await new Restorer(jobs.Pool).RepairAsync(PoolPath.Parse("/f"), jobs.LocalFile(data), null, null, Ct);

        Assert.Equal([3], report.Rewritten.Select(r => r.Chunk));
        Assert.Equal(data, await jobs.ReadAsync("/f"));
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions(), Ct)).Clean);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("parity")]
    public async Task Rebalance_onto_a_new_remote_moves_cdc_chunks_and_every_file_stays_exact(string mode)
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:", "d:");
        var directory = Path.Combine(Path.GetTempPath(), "rclonepool-unit-" + Guid.NewGuid().ToString("N"));
        void Configure(PoolConfig c, bool withD)
        {
            Cdc(c);
            c.Remotes = withD ? ["a:", "b:", "c:", "d:"] : ["a:", "b:", "c:"];
            c.ManifestCacheDir = directory;
            c.RedundancyMode = mode;
            c.ParityDataShards = 2;
            c.ParityParityShards = 1;
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var before = await TestPool.CreateAsync(store, c => Configure(c, withD: false), directory))
        {
            for (var i = 0; i < 6; i++)
            {
                files[$"/f{i}.bin"] = CdcCuts.Random((200 * KiB) + (i * 999), 20 + i);
                await PutAsync(before.Pool, $"/f{i}.bin", files[$"/f{i}.bin"]);
            }
        }

        System.IO.Directory.CreateDirectory(directory);
        await using var after = await TestPool.CreateAsync(store, c => Configure(c, withD: true), directory);
        await new RemoteMembership(after.Pool).JoinAsync("d:", Ct);
        var report = await new Rebalancer(after.Pool).RebalanceAsync(new RebalanceOptions { TargetVariance = 5.0 }, Ct);

        Assert.Empty(report.Failed);
        Assert.NotEmpty(report.Moved);
        foreach (var (path, data) in files)
        {
            Assert.Equal(data, await CompressedPoolTests.ReadAsync(after.Pool, path));
        }

        var verify = await new Verifier(after.Pool).VerifyAsync(new VerifyOptions(), Ct);
        Assert.True(verify.Clean, string.Join("; ", verify.Damage));
    }

    [Fact]
    public async Task A_chunk_that_starts_in_random_bytes_and_goes_on_in_text_is_still_compressed()
    {
        // Content-defined chunks start wherever the content says: in a disk image, often in random bytes before text.
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store, c =>
        {
            c.ChunkSize = 1024 * KiB;
            c.EnableCompression = true;
        });
        byte[] data = [.. CdcCuts.Random(300 * KiB, 8), .. CompressibleData.Text(724 * KiB, 9)];

        var manifest = await PutAsync(test.Pool, "/mixed.img", data);

        var chunk = Assert.Single(manifest.Chunks);
        Assert.True(chunk.IsCompressed);
        Assert.True(chunk.StoredLength < 600 * KiB, $"stored {chunk.StoredLength} of {data.Length}");
        Assert.Equal(data, await CompressedPoolTests.ReadAsync(test.Pool, "/mixed.img"));
    }

    [Theory]
    [InlineData(3 * KiB, false)] // inline in the manifest
    [InlineData(6 * KiB, true)] // below the minimum: one chunk without a scan, its hash the file's
    [InlineData(8 * KiB, false)] // the minimum
    [InlineData(20 * KiB, true)]
    [InlineData(300 * KiB, true)]
    [InlineData(300 * KiB, false)]
    public async Task A_local_file_records_the_sha256_of_its_bytes_whether_it_is_one_chunk_or_many(int size, bool compressible)
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        using var directory = new RclonePool.Tests.Unit.Index.TempDirectory();
        await using var test = await TestPool.CreateAsync(store, c =>
        {
            Cdc(c);
            c.CdcMinChunkSize = 8 * KiB;
            c.EnableCompression = true;
        });
        var data = compressible ? CompressibleData.Text(size, 10) : CdcCuts.Random(size, 11);

        var manifest = await PutAsync(test.Pool, "/f.bin", data, Path.Combine(directory.Path, "f.bin"));

        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), manifest.Sha256);
        Assert.Equal(size <= 8 * KiB, manifest.Chunks.Count == 1);
        Assert.Equal(data, await CompressedPoolTests.ReadAsync(test.Pool, "/f.bin"));
        var verify = await new Verifier(test.Pool).VerifyAsync(new VerifyOptions(), Ct);
        Assert.True(verify.Clean, string.Join("; ", verify.Damage));
    }
}
