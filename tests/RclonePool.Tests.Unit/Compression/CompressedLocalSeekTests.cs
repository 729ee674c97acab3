using RclonePool.Core.Events;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes.Local;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Compression;

/// <summary>
/// A short read of a compressed file whose copies are local files (docs/efficiency.md, seek20): its stored blocks are
/// read from the files and checked, past the chunk cache; a damaged stored block is still reported, naming its remote,
/// and the read goes on from the other copy.
/// </summary>
public sealed class CompressedLocalSeekTests
{
    private const int KiB = 1024;
    private const int MiB = 1024 * KiB;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(TestPool Test, string[] Remotes)> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "rclonepool-unit-" + Guid.NewGuid().ToString("N"));
        string[] remotes = [Path.Combine(directory, "r1"), Path.Combine(directory, "r2")];
        foreach (var remote in remotes)
        {
            Directory.CreateDirectory(remote);
        }

        var test = await TestPool.CreateAsync(new LocalDirectStore(new InMemoryRemoteStore(remotes)), c =>
        {
            c.Remotes = [.. remotes];
            c.ChunkSize = MiB;
            c.EnableCompression = true;
            c.RedundancyMode = "replication";
            c.ReplicationFactor = 2;
        }, directory);
        return (test, remotes);
    }

    [Fact]
    public async Task Seeks_in_a_compressed_file_on_local_copies_match_the_plain_bytes_and_stage_nothing_in_the_cache()
    {
        var (test, _) = await CreateAsync();
        await using var _ = test;
        var data = CompressibleData.Text((3 * MiB) + 4_321, 31);
        await test.Pool.PutAsync(PoolPath.Parse("/seek.log"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);

        // A first read of every chunk learns that their first copies are local files.
        Assert.Equal(data, await CompressedPoolTests.ReadAsync(test.Pool, "/seek.log"));
        var fetches = test.Pool.ChunkCache.Statistics.Fetches;

        var random = new Random(7);
        for (var i = 0; i < 40; i++)
        {
            var length = random.Next(1, 3 * 256 * KiB);
            var offset = random.NextInt64(0, data.Length - length);
            Assert.Equal(data.AsSpan((int)offset, length).ToArray(), await CompressedPoolTests.ReadAsync(test.Pool, "/seek.log", offset, length));
        }

        Assert.Equal(fetches, test.Pool.ChunkCache.Statistics.Fetches);
    }

    [Fact]
    public async Task A_flipped_bit_in_the_first_copy_is_reported_with_its_remote_and_the_seek_reads_the_other_copy()
    {
        var (test, remotes) = await CreateAsync();
        await using var _ = test;
        var data = CompressibleData.Text(2 * MiB, 32);
        await test.Pool.PutAsync(PoolPath.Parse("/seek.log"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        Assert.Equal(data, await CompressedPoolTests.ReadAsync(test.Pool, "/seek.log"));

        var manifest = (await test.Pool.GetManifestAsync(PoolPath.Parse("/seek.log"), Ct))!;
        var chunk = manifest.Chunks[1];
        Assert.True(chunk.IsCompressed);
        var first = chunk.Locations[0];
        var file = Path.Join(remotes.Single(r => r == first.Remote), first.Object);
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        var within = (int)chunk.StoredBlockLengths!.Take(2).Sum() + 10; // inside block 2's stored bytes
        bytes[within] ^= 0x10;
        await File.WriteAllBytesAsync(file, bytes, Ct);

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

        var offset = chunk.Offset + (2 * 256 * KiB) + 1_000;
        Assert.Equal(data.AsSpan((int)offset, 64 * KiB).ToArray(), await CompressedPoolTests.ReadAsync(test.Pool, "/seek.log", offset, 64 * KiB));

        var reported = Assert.Single(missing);
        Assert.Equal(first.Remote, reported.Remote);
        Assert.Equal(chunk.Index, reported.Chunk);
        Assert.Equal(LocationRole.Data, first.Role);
    }
}
