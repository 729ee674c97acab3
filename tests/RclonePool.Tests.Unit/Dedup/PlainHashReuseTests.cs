using RclonePool.Core.Integrity;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool.Writing;
using RclonePool.Tests.Unit.Compression;
using RclonePool.Tests.Unit.Jobs;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Dedup;

/// <summary>
/// Repeated content found by its plain hash (docs/efficiency.md): with dedup and compression, a chunk whose plain bytes
/// this process stored already reuses that object without being compressed again, and only after the object is claimed
/// and found on its remotes; what is gone is written again.
/// </summary>
public sealed class PlainHashReuseTests
{
    private const int Chunk = PoolJobs.Chunk;
    private static readonly CancellationToken None = CancellationToken.None;

    private static void Configure(Core.Config.PoolConfig c)
    {
        c.EnableDeduplication = true;
        c.EnableDuplicateDetection = false;
        c.EnableCompression = true;
        c.RedundancyMode = "replication";
        c.ReplicationFactor = 2;
    }

    /// <summary>Four compressible chunks; <paramref name="variant"/> changes only the last one.</summary>
    private static byte[] File(int variant) => [.. CompressibleData.Text(3 * Chunk, 7), .. CompressibleData.Text(Chunk, 100 + variant)];

    [Fact]
    public async Task Shared_chunks_keep_their_copies_on_distinct_remotes_and_read_back()
    {
        await using var jobs = await PoolJobs.CreateAsync(Configure);
        var first = await jobs.PutAsync("/a.img", File(1));
        var second = await jobs.PutAsync("/b.img", File(2));

        for (var i = 0; i < 3; i++)
        {
            // The stored form is the first file's: same plain and stored hashes, same block lengths.
            Assert.Equal(first.Chunks[i].Sha256, second.Chunks[i].Sha256);
            Assert.Equal(first.Chunks[i].BlockHashes, second.Chunks[i].BlockHashes);
            Assert.Equal(first.Chunks[i].StoredSha256, second.Chunks[i].StoredSha256);
            Assert.Equal(first.Chunks[i].StoredBlockHashes, second.Chunks[i].StoredBlockHashes);
            Assert.Equal(first.Chunks[i].StoredBlockLengths, second.Chunks[i].StoredBlockLengths);
            Assert.NotNull(second.Chunks[i].Codec);
            Assert.Equal(2, second.Chunks[i].Locations.Count);
            Assert.Equal(2, second.Chunks[i].Locations.Select(l => l.Remote).Distinct().Count());
            Assert.Equal(first.Chunks[i].Locations[0].Object, second.Chunks[i].Locations[0].Object);
        }

        Assert.Equal(5 * 2, jobs.DataKeys().Count());
        Assert.Equal(File(2), await CompressedPoolTests.ReadAsync(jobs.Pool, "/b.img"));
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions { Scope = PoolPath.Parse("/b.img") }, None)).Clean);
    }

    [Fact]
    public async Task A_remembered_chunk_that_lost_a_copy_is_stored_again_with_all_its_copies()
    {
        await using var jobs = await PoolJobs.CreateAsync(Configure);
        var first = await jobs.PutAsync("/a.img", File(1));
        Assert.True(jobs.Memory.Remove(PoolJobs.Key(first.Chunks[0].Locations[1])));

        var second = await jobs.PutAsync("/b.img", File(1));

        Assert.Equal(2, second.Chunks[0].Locations.Select(l => l.Remote).Distinct().Count());
        Assert.All(second.Chunks[0].Locations, l => Assert.True(jobs.Memory.Objects.ContainsKey(PoolJobs.Key(l))));
        Assert.Equal(File(1), await CompressedPoolTests.ReadAsync(jobs.Pool, "/b.img"));
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions { Scope = PoolPath.Parse("/b.img") }, None)).Clean);
    }

    [Fact]
    public async Task Remembered_chunks_swept_by_another_process_are_written_again()
    {
        await using var jobs = await PoolJobs.CreateAsync(Configure);
        await jobs.PutAsync("/a.img", File(1));
        await using (var other = await TestPool.CreateAsync(jobs.Memory, Configure))
        {
            await other.Pool.DeleteAsync(PoolPath.Parse("/a.img"), false, None);
            await new OrphanCollector(other.Pool).FindAsync(new OrphanOptions { Delete = true, MinAge = TimeSpan.Zero }, None);
        }

        Assert.Empty(jobs.DataKeys());

        await jobs.PutAsync("/b.img", File(1));

        Assert.Equal(4 * 2, jobs.DataKeys().Count());
        Assert.Equal(File(1), await CompressedPoolTests.ReadAsync(jobs.Pool, "/b.img"));
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions { Scope = PoolPath.Parse("/b.img") }, None)).Clean);
    }

    [Fact]
    public async Task A_remembered_chunk_with_the_same_block_digests_but_another_sha256_is_not_reused()
    {
        // Block digests (xxh128) are the lookup key but no cryptographic hash: a candidate found by them whose SHA-256
        // differs (here forged: the digests of other content pointing at the first file's chunk) must not be reused.
        await using var jobs = await PoolJobs.CreateAsync(Configure);
        var first = await jobs.PutAsync("/a.img", File(1));
        var other = CompressibleData.Text(Chunk, 555);
        using (var hasher = new ChunkHasher(first.BlockSize))
        {
            hasher.Append(other);
            jobs.Pool.Writing.Chunks.StoredForms.Remember(first.Chunks[0] with { BlockHashes = hasher.Complete().BlockHashes, Length = other.Length });
        }

        var second = await jobs.PutAsync("/other.log", other);

        Assert.Single(second.Chunks);
        Assert.NotEqual(first.Chunks[0].Locations[0].Object, second.Chunks[0].Locations[0].Object);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(other)), second.Chunks[0].Sha256);
        Assert.Equal(other, await CompressedPoolTests.ReadAsync(jobs.Pool, "/other.log"));
        Assert.True((await new Verifier(jobs.Pool).VerifyAsync(new VerifyOptions { Scope = PoolPath.Parse("/other.log") }, None)).Clean);
    }

    [Fact]
    public async Task A_source_whose_bytes_changed_since_they_were_looked_up_is_refused_and_the_hashes_are_of_the_bytes_compressed()
    {
        const int block = 16 * 1024;
        var looked = CompressibleData.Text(4 * block, 21);
        var changed = (byte[])looked.Clone();
        changed[3 * block] ^= 1;
        using var hasher = new ChunkHasher(block, wholeChunk: false);
        hasher.Append(looked);
        var digests = hasher.CompleteBlocks();
        var zstd = new Core.Plugins.BlockCodecChain { Zstd = true };

        var e = await Assert.ThrowsAsync<Core.Errors.PoolException>(() =>
            Core.Compression.CompressedChunk.CreateAsync(() => new MemoryStream(changed), changed.Length, block, zstd, Path.GetTempPath(), digests, None));
        Assert.Equal(Core.Errors.PoolErrorKind.Conflict, e.Kind);

        await using var same = await Core.Compression.CompressedChunk.CreateAsync(() => new MemoryStream(looked), looked.Length, block, zstd, Path.GetTempPath(), digests, None);
        Assert.NotNull(same);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(looked)), same.Sha256);
        Assert.Equal(digests, same.BlockHashes);
    }

    [Fact]
    public void Only_whole_content_addressed_chunks_are_remembered_and_the_oldest_go_first()
    {
        var forms = new StoredForms();
        forms.Remember(Entry("blocks-shard", ContentObject(0xaa), LocationRole.Shard));
        forms.Remember(Entry("blocks-fresh-id", "rclonepool_data/" + ManifestNames.NewId(), LocationRole.Data));
        Assert.Null(forms.Find("blocks-shard", 10));
        Assert.Null(forms.Find("blocks-fresh-id", 10));

        for (var i = 0; i <= StoredForms.Capacity; i++)
        {
            forms.Remember(Entry($"blocks-{i}", ContentObject(i), LocationRole.Data));
        }

        Assert.Null(forms.Find("blocks-0", 10));
        Assert.NotNull(forms.Find("blocks-1", 10));
        Assert.NotNull(forms.Find($"blocks-{StoredForms.Capacity}", 10));
        Assert.Null(forms.Find("blocks-1", 11));
    }

    private static string ContentObject(int i) => "rclonepool_data/" + i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);

    private static ChunkEntry Entry(string blocks, string objectPath, LocationRole role) => new()
    {
        Length = 10,
        Sha256 = "sha256 of " + blocks,
        BlockHashes = blocks,
        Locations = [new ChunkLocation { Remote = "a:", Object = objectPath, Role = role, Shard = role == LocationRole.Shard ? 0 : null }],
    };
}
