using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Redundancy;

/// <summary>Replication, parity and hybrid through the pool: what is stored where, and reads while remotes are lost or damaged.</summary>
public sealed class RedundantPoolTests
{
    private const int KiB = 1024;
    private const int MiB = 1024 * KiB;
    private static readonly string[] Six = SixRemotes.Names;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(TestPool Test, InMemoryRemoteStore Store)> CreateAsync(Action<PoolConfig> configure)
    {
        var store = new InMemoryRemoteStore(Six);
        return (await SixRemotes.CreateAsync(store, configure), store);
    }

    private static Action<PoolConfig> Parity(int k, int m) => SixRemotes.Parity(k, m);

    private static Action<PoolConfig> Replication(int copies) => SixRemotes.Replication(copies);

    private static byte[] Data(int size, int seed) => SixRemotes.Data(size, seed);

    private static Task<Dictionary<string, byte[]>> UploadAllAsync(StoragePool pool) => SixRemotes.UploadAllAsync(pool);

    private static async Task<byte[]> ReadAsync(StoragePool pool, string path, long offset = 0, long count = -1)
    {
        await using var stream = await pool.OpenReadAsync(PoolPath.Parse(path), offset, count, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    private static async Task AssertAllReadBackAsync(StoragePool pool, Dictionary<string, byte[]> files)
    {
        var random = new Random(5);
        foreach (var (path, data) in files)
        {
            Assert.Equal(data, await ReadAsync(pool, path));
            for (var i = 0; i < 4; i++)
            {
                var offset = random.Next(data.Length);
                var count = Math.Min(data.Length - offset, random.Next(1, 700 * KiB));
                Assert.Equal(data.AsSpan(offset, count).ToArray(), await ReadAsync(pool, path, offset, count));
            }
        }
    }

    private static void LoseData(InMemoryRemoteStore store, string remote) => SixRemotes.LoseData(store, remote);

    private static void Corrupt(InMemoryRemoteStore store, string remote) => SixRemotes.Corrupt(store, remote);

    [Fact]
    public async Task Parity_puts_every_shard_of_a_stripe_on_a_different_remote()
    {
        var (test, _) = await CreateAsync(Parity(4, 2));
        await using var _ = test;
        var files = await UploadAllAsync(test.Pool);

        foreach (var path in files.Keys)
        {
            var manifest = (await test.Pool.GetManifestAsync(PoolPath.Parse(path), Ct))!;
            Assert.Equal("parity", manifest.Redundancy.Mode);
            Assert.Equal((4, 2), (manifest.Redundancy.DataShards, manifest.Redundancy.ParityShards));
            // The 1-byte file lives inside its manifest (on every remote): no shards.
            Assert.Equal(path == "/f1.bin", manifest.Chunks.Any(c => c.Inline is not null));
            foreach (var chunk in manifest.Chunks.Where(c => c.Inline is null))
            {
                Assert.All(chunk.Locations, l => Assert.Equal(LocationRole.Shard, l.Role));
                Assert.Equal(chunk.Locations.Count, chunk.Locations.Select(l => l.Remote).Distinct().Count());
                Assert.Equal(2, chunk.Locations.Count(l => l.Shard >= 4));
                Assert.All(chunk.Locations.Where(l => l.Shard >= 4), l => Assert.NotNull(l.BlockHashes));
            }
        }

        await AssertAllReadBackAsync(test.Pool, files);
    }

    [Fact]
    public async Task Parity_4_2_reads_bit_exact_after_losing_any_two_remotes()
    {
        var (test, store) = await CreateAsync(Parity(4, 2));
        await using var _ = test;
        var files = await UploadAllAsync(test.Pool);
        var missing = new List<PoolEvent>();
        using var subscription = test.Pool.Events.Subscribe(e =>
        {
            if (e.Type == PoolEventType.ChunkMissing)
            {
                lock (missing)
                {
                    missing.Add(e);
                }
            }
        });

        LoseData(store, "b:");
        LoseData(store, "e:");

        await AssertAllReadBackAsync(test.Pool, files);
        Assert.NotEmpty(missing);
        Assert.All(missing, e => Assert.Contains(e.Remote, new[] { "b:", "e:" }));
    }

    [Fact]
    public async Task Parity_reads_bit_exact_around_bit_flipped_shards()
    {
        var (test, store) = await CreateAsync(Parity(4, 2));
        await using var _ = test;
        var files = await UploadAllAsync(test.Pool);

        Corrupt(store, "a:");
        Corrupt(store, "f:");

        await AssertAllReadBackAsync(test.Pool, files);
    }

    [Fact]
    public async Task A_third_lost_remote_is_a_clear_error_never_wrong_bytes()
    {
        var (test, store) = await CreateAsync(Parity(4, 2));
        await using var _ = test;
        var data = Data(5 * MiB, 9);
        await test.Pool.PutAsync(PoolPath.Parse("/big.bin"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);

        LoseData(store, "a:");
        LoseData(store, "c:");
        LoseData(store, "d:");

        var e = await Assert.ThrowsAsync<PoolException>(() => ReadAsync(test.Pool, "/big.bin"));
        Assert.Equal(PoolErrorKind.Integrity, e.Kind);
        Assert.Contains("cannot be read", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replication_3_reads_bit_exact_after_losing_any_two_remotes()
    {
        var (test, store) = await CreateAsync(Replication(3));
        await using var _ = test;
        var files = await UploadAllAsync(test.Pool);
        foreach (var path in files.Keys)
        {
            var manifest = (await test.Pool.GetManifestAsync(PoolPath.Parse(path), Ct))!;
            Assert.All(manifest.Chunks.Where(c => c.Inline is null), c =>
            {
                Assert.Equal(3, c.Locations.Select(l => l.Remote).Distinct().Count());
                Assert.Equal([LocationRole.Data, LocationRole.Replica, LocationRole.Replica], c.Locations.Select(l => l.Role));
            });
        }

        LoseData(store, "c:");
        Corrupt(store, "f:");

        await AssertAllReadBackAsync(test.Pool, files);
    }

    [Fact]
    public async Task Hybrid_replicates_chunks_shorter_than_a_stripe_row_and_parity_codes_the_rest()
    {
        var (test, store) = await CreateAsync(c =>
        {
            Parity(4, 2)(c);
            c.RedundancyMode = "hybrid";
            c.ReplicationFactor = 2;
        });
        await using var _ = test;
        var files = await UploadAllAsync(test.Pool);

        var small = (await test.Pool.GetManifestAsync(PoolPath.Parse("/f100000.bin"), Ct))!;
        Assert.Equal(3, small.Chunks[0].Locations.Count); // max(replication_factor 2, m + 1 = 3) copies
        Assert.DoesNotContain(small.Chunks[0].Locations, l => l.Role == LocationRole.Shard);
        var large = (await test.Pool.GetManifestAsync(PoolPath.Parse("/f2097152.bin"), Ct))!;
        Assert.All(large.Chunks[0].Locations, l => Assert.Equal(LocationRole.Shard, l.Role));

        LoseData(store, "a:");
        LoseData(store, "d:");
        await AssertAllReadBackAsync(test.Pool, files);
    }

    [Fact]
    public async Task Files_written_without_redundancy_stay_readable_after_parity_is_turned_on()
    {
        var store = new InMemoryRemoteStore(Six);
        var directory = Path.Combine(Path.GetTempPath(), "rclonepool-unit-" + Guid.NewGuid().ToString("N"));
        var data = Data(3 * MiB, 4);
        await using (var before = await TestPool.CreateAsync(store, c => { c.Remotes = [.. Six]; c.ChunkSize = 2 * MiB; }, Path.Combine(directory, "1")))
        {
            await before.Pool.PutAsync(PoolPath.Parse("/old.bin"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        }

        await using var after = await TestPool.CreateAsync(store, c => { c.Remotes = [.. Six]; c.ChunkSize = 2 * MiB; Parity(4, 2)(c); }, Path.Combine(directory, "2"));
        await new IndexLoader(after.Pool.Context).LoadAsync(Ct);
        Assert.Equal(data, await ReadAsync(after.Pool, "/old.bin"));
        Assert.Equal("none", (await after.Pool.GetManifestAsync(PoolPath.Parse("/old.bin"), Ct))!.Redundancy.Mode);
    }

    [Fact]
    public async Task A_parity_upload_that_cannot_place_its_stripe_stores_nothing()
    {
        var (test, store) = await CreateAsync(Parity(4, 2));
        await using var _ = test;
        store.Free["c:"] = 1000;
        var data = Data(2 * MiB, 3);

        var e = await Assert.ThrowsAsync<PoolException>(() => test.Pool.PutAsync(PoolPath.Parse("/x.bin"), new MemoryStream(data), data.Length, PutOptions.Default, Ct));

        Assert.Equal(PoolErrorKind.NoSpace, e.Kind);
        Assert.All(Six, r => Assert.Empty(store.Keys(r, "rclonepool_data")));
    }

    [Theory]
    [InlineData("parity")]
    [InlineData("replication")]
    [InlineData("hybrid")]
    public async Task Rebuild_restores_full_redundancy_so_two_more_remotes_can_be_lost(string mode)
    {
        var (test, store) = await CreateAsync(c =>
        {
            Parity(4, 2)(c);
            c.RedundancyMode = mode;
            c.ReplicationFactor = 3;
        });
        await using var _ = test;
        var files = await UploadAllAsync(test.Pool);
        LoseData(store, "b:");
        Corrupt(store, "e:");

        var report = await new Restorer(test.Pool).RestoreRedundancyAsync(PoolPath.Root, null, null, Ct);

        Assert.True(report.Complete, string.Join("; ", report.Failed.Select(f => f.Path + ": " + f.Error)));
        Assert.NotEmpty(report.Restored);
        var again = await new Restorer(test.Pool).RestoreRedundancyAsync(PoolPath.Root, null, null, Ct);
        Assert.Empty(again.Restored);
        LoseData(store, "a:");
        LoseData(store, "f:");
        await AssertAllReadBackAsync(test.Pool, files);
    }

    [Fact]
    public async Task Rebuild_reports_a_file_with_more_shards_lost_than_the_stripe_survives()
    {
        var (test, store) = await CreateAsync(Parity(4, 2));
        await using var _ = test;
        var data = Data(3 * MiB, 1);
        await test.Pool.PutAsync(PoolPath.Parse("/big.bin"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        LoseData(store, "a:");
        LoseData(store, "b:");
        LoseData(store, "c:");

        var report = await new Restorer(test.Pool).RestoreRedundancyAsync(PoolPath.Root, null, null, Ct);

        Assert.False(report.Complete);
        var (path, error) = Assert.Single(report.Failed);
        Assert.Equal("/big.bin", path);
        Assert.Contains("cannot be read", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repair_rewrites_a_lost_shard_from_a_local_copy()
    {
        var (test, store) = await CreateAsync(Parity(4, 2));
        await using var _ = test;
        var data = Data(3 * MiB, 2);
        var local = Path.Combine(test.Directory, "local.bin");
        await File.WriteAllBytesAsync(local, data, Ct);
        await test.Pool.PutAsync(PoolPath.Parse("/x.bin"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        LoseData(store, "c:");
        Corrupt(store, "d:");

        var report = await new Restorer(test.Pool).RepairAsync(PoolPath.Parse("/x.bin"), local, null, null, Ct);

        Assert.NotEmpty(report.Rewritten);
        LoseData(store, "a:");
        LoseData(store, "b:");
        Assert.Equal(data, await ReadAsync(test.Pool, "/x.bin"));
    }
}
