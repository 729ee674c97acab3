using RclonePool.Core.Caching;
using RclonePool.Core.Config;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Reading;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Pool;

/// <summary>The read path through the pool: what is fetched from the remotes, the shared cache, prefetch.</summary>
public sealed class ReadPathTests
{
    private const int MiB = 1024 * 1024;
    private const int Block = 256 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Random(int length, int seed = 7)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static async Task<(TestPool Test, RecordingRemoteStore Store, Manifest Manifest, byte[] Data)> CreateAsync(int size, long chunkSize, Action<PoolConfig>? configure = null, ReadPolicy? readPolicy = null)
    {
        var store = new RecordingRemoteStore(new InMemoryRemoteStore("a:", "b:", "c:"));
        var test = await TestPool.CreateAsync(
            store,
            c =>
            {
                c.ChunkSize = chunkSize;
                configure?.Invoke(c);
            },
            build: b =>
            {
                if (readPolicy is not null)
                {
                    b.UseReadPolicy(readPolicy);
                }
            });
        var data = Random(size);
        await test.Pool.PutAsync(PoolPath.Parse("/f.bin"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        store.Clear();
        return (test, store, (await test.Pool.GetManifestAsync(PoolPath.Parse("/f.bin"), Ct))!, data);
    }

    private static async Task<byte[]> ReadAsync(StoragePool pool, long offset, long count, int bufferSize = 81920)
    {
        await using var stream = await pool.OpenReadAsync(PoolPath.Parse("/f.bin"), offset, count, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, bufferSize, Ct);
        return copy.ToArray();
    }

    private static string ObjectOf(Manifest manifest, int chunk) => manifest.Chunks[chunk].Locations[0].Object;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Random_small_ranges_fetch_only_the_blocks_they_cover(bool cache)
    {
        var (test, store, _, data) = await CreateAsync((3 * 8 * MiB) + 1000, 8 * MiB, c => c.EnableChunkCache = cache);
        await using var _ = test;
        var random = new Random(3);

        for (var i = 0; i < 20; i++)
        {
            var offset = random.NextInt64(data.Length - 65536);
            Assert.Equal(data.AsSpan((int)offset, 65536).ToArray(), await ReadAsync(test.Pool, offset, 65536));
        }

        var reads = store.Reads.Where(r => r.Object.StartsWith("rclonepool_data/", StringComparison.Ordinal)).ToList();
        Assert.InRange(reads.Count, 1, 40);
        Assert.All(reads, r =>
        {
            Assert.Equal(0, r.Offset % Block);
            Assert.InRange(r.Count, 1, 2 * Block);
        });
    }

    [Fact]
    public async Task A_small_chunk_is_fetched_whole_on_a_random_read()
    {
        var (test, store, manifest, data) = await CreateAsync(4 * MiB, MiB);
        await using var _ = test;

        Assert.Equal(data.AsSpan((MiB + (300 * 1024))..((MiB + (300 * 1024)) + 65536)).ToArray(), await ReadAsync(test.Pool, MiB + (300 * 1024), 65536));

        var read = Assert.Single(store.Reads);
        Assert.Equal(new RemoteRead(ObjectOf(manifest, 1), 0, MiB), read);
    }

    [Fact]
    public async Task Repeated_random_reads_of_a_block_are_served_from_the_cache()
    {
        var (test, store, _, data) = await CreateAsync(16 * MiB, 8 * MiB);
        await using var _ = test;

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(data.AsSpan((9 * MiB) + 100, 1000).ToArray(), await ReadAsync(test.Pool, (9 * MiB) + 100, 1000));
        }

        Assert.Single(store.Reads);
        Assert.Equal(4, test.Pool.ChunkCache.Statistics.Hits);
    }

    [Fact]
    public async Task A_lone_whole_file_read_fetches_each_chunk_once_and_stages_nothing_through_the_cache()
    {
        var (test, store, manifest, data) = await CreateAsync((6 * 4 * MiB) - 5, 4 * MiB);
        await using var _ = test;

        Assert.Equal(data, await ReadAsync(test.Pool, 0, -1));

        for (var c = 0; c < manifest.Chunks.Count; c++)
        {
            var read = Assert.Single(store.ReadsOf(ObjectOf(manifest, c)));
            Assert.Equal(0, read.Offset);
            Assert.Equal(manifest.Chunks[c].Length, read.Count);
        }

        var stats = test.Pool.ChunkCache.Statistics;
        Assert.Equal(0, stats.Prefetches); // an in-memory remote is faster than staging through the cache
        Assert.Equal(0, stats.CachedBytes);
        Assert.Equal(manifest.Chunks.Sum(c => (c.Length + Block - 1) / Block), stats.ReadThroughBlocks);
    }

    [Fact]
    public async Task Sequential_reading_over_a_slow_remote_prefetches_the_next_chunks_and_stops_when_the_reader_goes_away()
    {
        var (test, store, manifest, data) = await CreateAsync(6 * 4 * MiB, 4 * MiB, readPolicy: new ReadPolicy { PrefetchChunks = 2, PrefetchBelowBytesPerSecond = long.MaxValue, RateWindowBytes = 1 });
        await using var _ = test;
        for (var c = 1; c < manifest.Chunks.Count; c++)
        {
            store.Held[ObjectOf(manifest, c)] = true;
        }

        var stream = await test.Pool.OpenReadAsync(PoolPath.Parse("/f.bin"), 0, -1, Ct);
        var head = new byte[3 * MiB / 2];
        await stream.ReadExactlyAsync(head, Ct);
        Assert.Equal(data.AsSpan(0, head.Length).ToArray(), head);

        await Eventually.TrueAsync(() => store.ReadsOf(ObjectOf(manifest, 1)).Any() && store.ReadsOf(ObjectOf(manifest, 2)).Any(), "prefetches of chunks 1 and 2");
        Assert.Empty(store.ReadsOf(ObjectOf(manifest, 3)));
        Assert.Equal(2, test.Pool.ChunkCache.Statistics.Prefetches);

        await stream.DisposeAsync();

        await Eventually.TrueAsync(() => store.Cancelled == 2, "both prefetches cancelled");
        await Eventually.TrueAsync(() => test.Pool.ChunkCache.Statistics.CachedBytes == 0, "the prefetches' room given back");
        Assert.Empty(store.ReadsOf(ObjectOf(manifest, 3)));
    }

    [Fact]
    public async Task A_prefetching_stream_reads_the_prefetched_chunks_from_the_cache()
    {
        var (test, store, manifest, data) = await CreateAsync((5 * 4 * MiB) + 99, 4 * MiB, readPolicy: new ReadPolicy { PrefetchChunks = 2, PrefetchBelowBytesPerSecond = long.MaxValue, RateWindowBytes = 1 });
        await using var _ = test;

        Assert.Equal(data, await ReadAsync(test.Pool, 0, -1));

        Assert.All(Enumerable.Range(0, manifest.Chunks.Count), c => Assert.Single(store.ReadsOf(ObjectOf(manifest, c))));
        var stats = test.Pool.ChunkCache.Statistics;
        Assert.Equal(manifest.Chunks.Count - 1, stats.Prefetches);
        Assert.Equal(data.Length - (4 * MiB), stats.FetchedBytes);
    }

    [Fact]
    public async Task A_second_reader_of_a_chunk_being_read_through_shares_its_fetch()
    {
        var (test, store, manifest, data) = await CreateAsync(4 * MiB, 4 * MiB);
        await using var _ = test;

        await using var first = await test.Pool.OpenReadAsync(PoolPath.Parse("/f.bin"), 0, -1, Ct);
        var head = new byte[2 * Block];
        await first.ReadExactlyAsync(head, Ct);

        Assert.Equal(data, await ReadAsync(test.Pool, 0, -1));
        var rest = new byte[data.Length - head.Length];
        await first.ReadExactlyAsync(rest, Ct);

        Assert.Equal(data, head.Concat(rest).ToArray());
        Assert.Equal(1, test.Pool.ChunkCache.Statistics.Promotions);
        Assert.Equal([new RemoteRead(ObjectOf(manifest, 0), 0, 4 * MiB), new RemoteRead(ObjectOf(manifest, 0), 0, 2 * Block)], store.Reads);
    }

    [Fact]
    public async Task Concurrent_readers_of_a_chunk_fetch_it_from_the_remote_once()
    {
        var (test, store, manifest, data) = await CreateAsync(4 * MiB, 4 * MiB);
        await using var _ = test;
        store.Held[ObjectOf(manifest, 0)] = true;

        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(() => ReadAsync(test.Pool, 0, -1), Ct)).ToArray();
        // The first reader opens the fetch (held at the store); the others wait for it. Whether the first reader is
        // still reading inline or its fetch was promoted to a background job before it began (then it waits too)
        // depends on timing: at least 7 wait, and the one fetch is held.
        await Eventually.TrueAsync(() => test.Pool.ChunkCache.Statistics.ReadersWaiting >= 7, "7 readers waiting for the one fetch");
        store.Gate.SetResult();

        foreach (var reader in readers)
        {
            Assert.Equal(data, await reader);
        }

        Assert.Single(store.ReadsOf(ObjectOf(manifest, 0)));
    }

    [Fact]
    public async Task A_damaged_cache_file_is_fetched_again_and_the_right_bytes_served()
    {
        var (test, store, manifest, data) = await CreateAsync(2 * 4 * MiB, 4 * MiB);
        await using var _ = test;
        for (var offset = 0; offset < data.Length; offset += Block)
        {
            Assert.Equal(data.AsSpan(offset, Block).ToArray(), await ReadAsync(test.Pool, offset, Block));
        }

        var cache = Assert.IsType<ChunkCache>(test.Pool.ChunkCache);
        var id = ObjectOf(manifest, 1).Split('/')[^1];
        var file = Assert.Single(Directory.GetFiles(cache.DirectoryPath!, id + ".*"));
        using (var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            var offset = (3 * Block) + 17;
            RandomAccess.Write(handle, new[] { (byte)(data[(4 * MiB) + offset] ^ 1) }, offset);
        }

        Assert.Equal(data, await ReadAsync(test.Pool, 0, -1));

        Assert.Equal(1, cache.Statistics.CorruptBlocks);
        Assert.Equal(17, store.ReadsOf(ObjectOf(manifest, 1)).Count());
        Assert.Equal(new RemoteRead(ObjectOf(manifest, 1), 3 * Block, Block), store.ReadsOf(ObjectOf(manifest, 1)).Last());
    }

    [Fact]
    public async Task With_the_cache_off_reads_go_straight_to_the_remotes()
    {
        var (test, store, manifest, data) = await CreateAsync((2 * 4 * MiB) + 3, 4 * MiB, c => c.EnableChunkCache = false);
        await using var _ = test;

        Assert.Same(NullChunkCache.Instance, test.Pool.ChunkCache);
        Assert.Equal(data, await ReadAsync(test.Pool, 0, -1));
        Assert.Equal(data.AsSpan(5 * MiB, 10).ToArray(), await ReadAsync(test.Pool, 5 * MiB, 10));

        Assert.Equal(4, store.Reads.Count);
        Assert.False(Directory.Exists(Path.Combine(test.Pool.Config.TempDir, CacheDirectory.RootName)));
        Assert.Single(store.ReadsOf(ObjectOf(manifest, 0)));
    }

    [Fact]
    public async Task A_read_the_cache_has_no_room_for_goes_to_the_remotes_directly()
    {
        var (test, store, manifest, data) = await CreateAsync(3 * 2 * MiB, 2 * MiB, c => c.ChunkCacheSizeMb = 1);
        await using var _ = test;

        Assert.Equal(data.AsSpan(3 * MiB, 1000).ToArray(), await ReadAsync(test.Pool, 3 * MiB, 1000));

        Assert.Equal(1, test.Pool.ChunkCache.Statistics.Bypasses);
        Assert.Equal(0, test.Pool.ChunkCache.Statistics.Chunks);
        Assert.Equal(new RemoteRead(ObjectOf(manifest, 1), 4 * Block, Block), Assert.Single(store.Reads));
    }

    [Fact]
    public async Task Every_byte_of_every_range_is_right_through_the_cache()
    {
        var (test, _, _, data) = await CreateAsync((5 * 4 * MiB) + 12345, 4 * MiB);
        await using var _ = test;
        var random = new Random(11);

        var reads = Enumerable.Range(0, 40).Select(async i =>
        {
            var offset = random.NextInt64(data.Length);
            var count = i % 4 == 0 ? -1 : random.NextInt64(1, 6 * MiB);
            var expected = data.AsSpan((int)offset, (int)(count < 0 ? data.Length - offset : Math.Min(count, data.Length - offset))).ToArray();
            Assert.Equal(expected, await ReadAsync(test.Pool, offset, count, bufferSize: 1000 + i));
        });
        await Task.WhenAll(reads);
    }
}
