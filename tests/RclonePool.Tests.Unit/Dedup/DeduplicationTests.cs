using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Unit.Compression;
using RclonePool.Tests.Unit.Jobs;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Dedup;

/// <summary>enable_deduplication over in-memory remotes: content-addressed chunks are stored once and never lost to a delete.</summary>
public sealed class DeduplicationTests
{
    private const int Chunk = PoolJobs.Chunk;
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<string> Modes => ["none", "replication", "parity", "none+zstd", "parity+zstd"];

    private static Task<PoolJobs> CreateAsync(string mode = "none") => PoolJobs.CreateAsync(c => Configure(c, mode));

    private static void Configure(Core.Config.PoolConfig c, string mode)
    {
        c.EnableDeduplication = true;
        c.RedundancyMode = mode.Split('+')[0];
        c.ReplicationFactor = 2;
        c.ParityDataShards = 2;
        c.ParityParityShards = 1;
        c.EnableCompression = mode.EndsWith("+zstd", StringComparison.Ordinal);
    }

    /// <summary>Four chunks; <paramref name="variant"/> changes only the last one.</summary>
    private static byte[] File(int variant, bool compressible)
    {
        var head = compressible ? CompressibleData.Text(3 * Chunk, 7) : PoolJobs.Data(3 * Chunk, 7);
        var tail = compressible ? CompressibleData.Text(Chunk, 100 + variant) : PoolJobs.Data(Chunk, 100 + variant);
        return [.. head, .. tail];
    }

    private static OrphanCollector Orphans(PoolJobs jobs) => new(jobs.Pool);

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Two_files_sharing_chunks_store_them_once_and_deleting_one_leaves_the_other_readable(string mode)
    {
        await using var jobs = await CreateAsync(mode);
        var compressible = mode.EndsWith("+zstd", StringComparison.Ordinal);
        var first = await jobs.PutAsync("/a.img", File(1, compressible));
        var objectsOfOne = jobs.DataKeys().Count();
        var second = await jobs.PutAsync("/b.img", File(2, compressible));

        // Only the changed chunk adds objects: the three shared chunks are named by both manifests.
        Assert.Equal(objectsOfOne + (objectsOfOne / 4), jobs.DataKeys().Count());
        Assert.Equal(Manifest.DedupFormatVersion, second.FormatVersion);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(first.Chunks[i].Locations.Select(l => l.Object), second.Chunks[i].Locations.Select(l => l.Object));
        }

        Assert.NotEqual(first.Chunks[3].Locations[0].Object, second.Chunks[3].Locations[0].Object);
        Assert.All(second.Chunks.SelectMany(c => c.Locations), l => Assert.True(ManifestNames.IsContentAddressed(l.Object)));
        if (mode.StartsWith("replication", StringComparison.Ordinal) || mode.StartsWith("parity", StringComparison.Ordinal))
        {
            // Copies and shards of a content-addressed chunk still keep to distinct remotes.
            Assert.All(second.Chunks, c => Assert.Equal(c.Locations.Count, c.Locations.Select(l => l.Remote).Distinct().Count()));
        }

        await jobs.Pool.DeleteAsync(PoolPath.Parse("/a.img"), false, None);
        Assert.Equal(File(2, compressible), await jobs.ReadAsync("/b.img"));

        // The sweep removes only what no manifest names: the first file's own last chunk.
        var swept = await Orphans(jobs).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.Zero }, None);
        Assert.Equal(objectsOfOne / 4, swept.ChunksDeleted);
        Assert.Equal(objectsOfOne, jobs.DataKeys().Count());
        Assert.Equal(File(2, compressible), await jobs.ReadAsync("/b.img"));
    }

    [Fact]
    public async Task Object_names_are_keyed_hashes_and_the_secret_stays_in_the_descriptors()
    {
        await using var jobs = await CreateAsync();
        var data = File(1, compressible: false);
        var manifest = await jobs.PutAsync("/a.img", data);

        // A remote's operator who knows the content cannot find it by its SHA-256.
        Assert.All(manifest.Chunks, c => Assert.DoesNotContain(c.Sha256, c.Locations[0].Object, StringComparison.Ordinal));
        var descriptors = await Task.WhenAll(PoolJobs.RemoteNames.Select(async r =>
            ManifestSerializer.DeserializeDescriptor((await jobs.Memory.TryReadBytesAsync(new RemotePath(r, ManifestNames.DescriptorName), None))!, r)));
        var secret = Assert.Single(descriptors.Select(d => d.DedupSecret).Distinct());
        Assert.Equal(32, Convert.FromBase64String(secret!).Length);
        Assert.DoesNotContain(secret!, descriptors[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_process_finds_the_secret_and_reuses_the_chunks_of_the_first()
    {
        await using var jobs = await CreateAsync();
        await jobs.PutAsync("/a.img", File(1, compressible: false));
        var before = jobs.DataKeys().Count();

        await using var other = await TestPool.CreateAsync(jobs.Memory, c => Configure(c, "none"));
        var data = File(2, compressible: false);
        await other.Pool.PutAsync(PoolPath.Parse("/b.img"), new MemoryStream(data), data.Length, PutOptions.Default, None);

        Assert.Equal(before + 1, jobs.DataKeys().Count());
        Assert.Equal(data, await CompressedPoolTests.ReadAsync(other.Pool, "/b.img"));
    }

    [Fact]
    public async Task Two_uploads_of_the_same_content_at_once_both_read_back_and_share_what_they_can()
    {
        await using var jobs = await CreateAsync("replication");
        var data = File(1, compressible: false);
        await Task.WhenAll(
            Task.Run(() => jobs.PutAsync("/x.img", data)),
            Task.Run(() => jobs.PutAsync("/y.img", data)));

        Assert.Equal(data, await jobs.ReadAsync("/x.img"));
        Assert.Equal(data, await jobs.ReadAsync("/y.img"));

        // Each chunk's name is its content: at most one object per chunk per remote, whatever the interleaving.
        Assert.True(jobs.DataKeys().Count() <= 4 * PoolJobs.RemoteNames.Length);
        await jobs.Pool.DeleteAsync(PoolPath.Parse("/x.img"), false, None);
        await Orphans(jobs).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.Zero }, None);
        Assert.Equal(data, await jobs.ReadAsync("/y.img"));
    }

    [Fact]
    public async Task Overwriting_a_file_with_content_another_file_shares_keeps_the_shared_chunks()
    {
        await using var jobs = await CreateAsync();
        await jobs.PutAsync("/a.img", File(1, compressible: false));
        await jobs.PutAsync("/b.img", File(1, compressible: false));
        var replacement = PoolJobs.Data(2 * Chunk, 9);
        await jobs.Pool.PutAsync(PoolPath.Parse("/a.img"), new MemoryStream(replacement), replacement.Length, PutOptions.Default with { Overwrite = true }, None);

        Assert.Equal(File(1, compressible: false), await jobs.ReadAsync("/b.img"));
        Assert.Equal(replacement, await jobs.ReadAsync("/a.img"));
    }

    [Fact]
    public async Task A_delete_racing_an_upload_of_the_same_content_never_loses_the_upload()
    {
        var data = File(1, compressible: false);
        for (var round = 0; round < 5; round++)
        {
            await using var jobs = await CreateAsync("parity");
            await jobs.PutAsync("/old.img", data);
            await Task.WhenAll(
                Task.Run(() => jobs.PutAsync("/new.img", data)),
                Task.Run(() => jobs.Pool.DeleteAsync(PoolPath.Parse("/old.img"), false, None)));
            await Orphans(jobs).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.Zero }, None);
            Assert.Equal(data, await jobs.ReadAsync("/new.img"));
        }
    }

    [Fact]
    public async Task Turning_dedup_on_for_a_pool_with_data_keeps_old_files_and_dedups_new_ones()
    {
        await using var plain = await PoolJobs.CreateAsync();
        var old = await plain.PutAsync("/old.img", File(1, compressible: false));
        Assert.All(old.Chunks.SelectMany(c => c.Locations), l => Assert.False(ManifestNames.IsContentAddressed(l.Object)));

        await using var dedup = await TestPool.CreateAsync(plain.Memory, c => Configure(c, "none"));
        var data = File(2, compressible: false);
        await dedup.Pool.PutAsync(PoolPath.Parse("/new1.img"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        var stored = plain.DataKeys().Count();
        await dedup.Pool.PutAsync(PoolPath.Parse("/new2.img"), new MemoryStream(data), data.Length, PutOptions.Default, None);

        Assert.Equal(stored, plain.DataKeys().Count());
        Assert.Equal(File(1, compressible: false), await CompressedPoolTests.ReadAsync(dedup.Pool, "/old.img"));
        Assert.Equal(data, await CompressedPoolTests.ReadAsync(dedup.Pool, "/new2.img"));

        // An old file is still deleted with its chunks: they have random names and only it names them.
        await dedup.Pool.DeleteAsync(PoolPath.Parse("/old.img"), false, None);
        Assert.Equal(stored - 4, plain.DataKeys().Count());
    }

    [Fact]
    public async Task A_young_claim_keeps_an_unreferenced_object_from_the_sweep()
    {
        await using var jobs = await CreateAsync();
        var manifest = await jobs.PutAsync("/a.img", File(1, compressible: false));
        var location = manifest.Chunks[0].Locations[0];
        await jobs.Pool.DeleteAsync(PoolPath.Parse("/a.img"), false, None);
        Assert.Equal(4, jobs.DataKeys().Count()); // the delete path leaves content-addressed chunks to the sweep

        jobs.Memory.Clock = () => DateTimeOffset.UtcNow;
        var claim = $$"""{"format":"rclonepool-claim","format_version":1,"objects":[{"remote":"{{location.Remote}}","object":"{{location.Object}}"}]}""";
        await jobs.Memory.WriteBytesAsync(new RemotePath("c:", "rclonepool_manifests/claims/" + ManifestNames.NewId() + ".json"), System.Text.Encoding.UTF8.GetBytes(claim), None);
        var swept = await Orphans(jobs).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.FromHours(1) }, None);
        Assert.Equal(3, swept.ChunksDeleted); // the claimed one stays

        swept = await Orphans(jobs).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.Zero }, None);
        Assert.Equal(1, swept.ChunksDeleted);
        Assert.Empty(jobs.DataKeys());
    }
}
