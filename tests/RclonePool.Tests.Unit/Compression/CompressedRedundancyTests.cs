using RclonePool.Core.Config;
using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Redundancy;

namespace RclonePool.Tests.Unit.Compression;

/// <summary>
/// Compressed files under copies and parity: the stored (compressed) bytes are what is copied and striped, so degraded
/// reads, rebuild and repair work on them and every read still gives the plain bytes.
/// </summary>
public sealed class CompressedRedundancyTests
{
    private const int MiB = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(Support.TestPool Test, InMemoryRemoteStore Store, Dictionary<string, byte[]> Files)> CreateAsync(Action<PoolConfig> redundancy)
    {
        var store = new InMemoryRemoteStore(SixRemotes.Names);
        var test = await SixRemotes.CreateAsync(store, c =>
        {
            redundancy(c);
            c.EnableCompression = true;
            c.CompressionLevel = 5;
        });
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["/small.log"] = CompressibleData.Text(100_000, 1),
            ["/one-chunk.log"] = CompressibleData.Text(2 * MiB, 2),
            ["/big.log"] = CompressibleData.Text((5 * MiB) + 12_345, 3),
        };
        foreach (var (path, data) in files)
        {
            await test.Pool.PutAsync(PoolPath.Parse(path), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
            Assert.All((await test.Pool.GetManifestAsync(PoolPath.Parse(path), Ct))!.Chunks, c => Assert.True(c.IsCompressed));
        }

        return (test, store, files);
    }

    private static async Task AssertAllReadBackAsync(Core.Pool.StoragePool pool, Dictionary<string, byte[]> files)
    {
        var random = new Random(5);
        foreach (var (path, data) in files)
        {
            Assert.Equal(data, await CompressedPoolTests.ReadAsync(pool, path));
            for (var i = 0; i < 6; i++)
            {
                var offset = random.Next(data.Length);
                var count = Math.Min(data.Length - offset, random.Next(1, 700 * 1024));
                Assert.Equal(data.AsSpan(offset, count).ToArray(), await CompressedPoolTests.ReadAsync(pool, path, offset, count));
            }
        }
    }

    [Fact]
    public async Task Parity_4_plus_2_reads_a_compressed_file_without_two_remotes_and_rebuild_restores_both()
    {
        var (test, store, files) = await CreateAsync(SixRemotes.Parity(4, 2));
        await using var _ = test;
        SixRemotes.LoseData(store, "b:");
        SixRemotes.Corrupt(store, "e:");
        await AssertAllReadBackAsync(test.Pool, files);

        var report = await new Restorer(test.Pool).RestoreRedundancyAsync(PoolPath.Root, null, null, Ct);

        Assert.True(report.Complete, string.Join("; ", report.Failed.Select(f => f.Path + ": " + f.Error)));
        Assert.NotEmpty(report.Restored);
        Assert.Empty((await new Restorer(test.Pool).RestoreRedundancyAsync(PoolPath.Root, null, null, Ct)).Restored);
        SixRemotes.LoseData(store, "a:");
        SixRemotes.LoseData(store, "f:");
        await AssertAllReadBackAsync(test.Pool, files);
    }

    [Fact]
    public async Task Two_copies_of_a_compressed_file_survive_a_lost_remote_and_rebuild_makes_the_second_copy_again()
    {
        var (test, store, files) = await CreateAsync(SixRemotes.Replication(2));
        await using var _ = test;
        SixRemotes.LoseData(store, "c:");
        await AssertAllReadBackAsync(test.Pool, files);

        var report = await new Restorer(test.Pool).RestoreRedundancyAsync(PoolPath.Root, null, null, Ct);

        Assert.True(report.Complete, string.Join("; ", report.Failed.Select(f => f.Path + ": " + f.Error)));
        Assert.NotEmpty(report.Restored);
        SixRemotes.LoseData(store, "a:");
        await AssertAllReadBackAsync(test.Pool, files);
        Assert.True((await new Verifier(test.Pool).VerifyAsync(new VerifyOptions { Quick = false, Scope = PoolPath.Root }, Ct)).Damage.All(d => d.Remote == "a:"));
    }

    [Fact]
    public async Task Repair_from_a_local_copy_writes_the_same_compressed_shards_again()
    {
        var (test, store, files) = await CreateAsync(SixRemotes.Parity(4, 2));
        await using var _ = test;
        var local = Path.Combine(test.Directory, "big.log");
        await File.WriteAllBytesAsync(local, files["/big.log"], Ct);
        SixRemotes.LoseData(store, "c:");
        SixRemotes.Corrupt(store, "d:");

        var report = await new Restorer(test.Pool).RepairAsync(PoolPath.Parse("/big.log"), local, null, null, Ct);

        Assert.NotEmpty(report.Rewritten);
        SixRemotes.LoseData(store, "a:");
        SixRemotes.LoseData(store, "b:");
        Assert.Equal(files["/big.log"], await CompressedPoolTests.ReadAsync(test.Pool, "/big.log"));
    }
}
