using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Caching;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Caching;

public sealed class ChunkCacheTests : IDisposable
{
    private const int Block = 1024;
    private readonly string _temp = Path.Combine(Path.GetTempPath(), "rclonepool-cache-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }

    private ChunkCache NewCache(long capacity) => new(_temp, capacity, NullLogger.Instance);

    private static async Task<byte[]> ReadAsync(IChunkCache cache, FakeChunk chunk, int block, BlockRange? fetch = null, CancellationToken lifetime = default)
    {
        var buffer = new byte[((IChunkSource)chunk).BlockLength(block)];
        Assert.True(await cache.ReadBlockAsync(chunk, block, fetch ?? new BlockRange(block, block + 1), buffer, lifetime, Ct));
        return buffer;
    }

    private static async Task ReadWholeAsync(IChunkCache cache, FakeChunk chunk)
    {
        var blocks = ((IChunkSource)chunk).BlockCount;
        for (var b = 0; b < blocks; b++)
        {
            Assert.Equal(chunk.Block(b), await ReadAsync(cache, chunk, b, new BlockRange(0, blocks)));
        }
    }

    private string[] CacheFiles(ChunkCache cache) =>
        [.. Directory.GetFiles(cache.DirectoryPath!).Where(f => !Path.GetFileName(f).StartsWith('.'))];

    [Fact]
    public async Task A_block_is_fetched_once_and_then_served_from_the_cache_file()
    {
        await using var cache = NewCache(64 * Block);
        var chunk = new FakeChunk("0123456789abcdef0123456789abcdef", 4 * Block);

        await ReadWholeAsync(cache, chunk);
        await ReadWholeAsync(cache, chunk);

        Assert.Equal(1, chunk.Opens);
        var stats = cache.Statistics;
        Assert.Equal(8, stats.Hits + stats.Misses);
        Assert.InRange(stats.Hits, 4, 7);
        Assert.Equal(4 * Block, stats.CachedBytes);
        var file = Assert.Single(CacheFiles(cache));
        Assert.StartsWith(chunk.Id, Path.GetFileName(file), StringComparison.Ordinal);
        Assert.Equal(chunk.Data, await File.ReadAllBytesAsync(file, Ct));
    }

    [Fact]
    public async Task The_least_recently_used_chunk_is_evicted_and_the_cache_never_exceeds_its_capacity()
    {
        await using var cache = NewCache(3 * 4 * Block);
        var chunks = Enumerable.Range(0, 5).Select(i => new FakeChunk($"chunk{i:D2}-0123456789abcdef", 4 * Block, seed: i)).ToArray();

        await ReadWholeAsync(cache, chunks[0]);
        await ReadWholeAsync(cache, chunks[1]);
        await ReadWholeAsync(cache, chunks[2]);
        await ReadAsync(cache, chunks[0], 1); // chunk 0 is now more recent than chunk 1
        await ReadWholeAsync(cache, chunks[3]); // evicts chunk 1
        Assert.True(cache.Statistics.CachedBytes <= cache.CapacityBytes);
        await ReadWholeAsync(cache, chunks[4]); // evicts chunk 2

        var stats = cache.Statistics;
        Assert.Equal(2, stats.Evictions);
        Assert.True(stats.CachedBytes <= cache.CapacityBytes);
        Assert.Equal(3, stats.Chunks);
        Assert.Equal(3, CacheFiles(cache).Length);
        Assert.True(CacheFiles(cache).Sum(f => new FileInfo(f).Length) <= cache.CapacityBytes);

        await ReadWholeAsync(cache, chunks[0]);
        Assert.Equal(1, chunks[0].Opens);
        await ReadWholeAsync(cache, chunks[1]);
        Assert.Equal(2, chunks[1].Opens);
    }

    [Fact]
    public async Task A_reader_fetching_from_a_source_that_answers_at_once_is_served_without_waiting_for_another_thread()
    {
        await using var cache = NewCache(64 * Block);
        var chunk = new FakeChunk("0123456789abcdef0123456789abcdef", 4 * Block);
        var buffer = new byte[Block];

        // The reader's own fetch runs on its thread up to its first wait for I/O; this source never waits.
        var read = cache.ReadBlockAsync(chunk, 2, new BlockRange(2, 4), buffer, default, Ct);

        Assert.True(read.IsCompletedSuccessfully);
        Assert.True(await read);
        Assert.Equal(chunk.Block(2), buffer);
        Assert.Equal(chunk.Block(3), await ReadAsync(cache, chunk, 3));
        Assert.Equal(1, chunk.Opens);
        Assert.Equal(0, cache.Statistics.CorruptBlocks);
    }

    [Fact]
    public async Task Concurrent_readers_of_one_chunk_share_a_single_fetch()
    {
        await using var cache = NewCache(64 * Block);
        var chunk = new FakeChunk("single-flight-0123456789abcdef", 8 * Block) { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };

        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(() => ReadWholeAsync(cache, chunk), Ct)).ToArray();
        await Eventually.TrueAsync(() => cache.Statistics.ReadersWaiting == 8, "all readers waiting for the one fetch");
        chunk.Gate.SetResult();
        await Task.WhenAll(readers);

        Assert.Equal(1, chunk.Opens);
        Assert.Equal(1, cache.Statistics.Fetches);
    }

    [Fact]
    public async Task A_damaged_cache_file_is_never_served_the_block_is_fetched_again()
    {
        await using var cache = NewCache(64 * Block);
        var chunk = new FakeChunk("damaged-0123456789abcdef", 4 * Block);
        await ReadWholeAsync(cache, chunk);

        var file = Assert.Single(CacheFiles(cache));
        using (var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            RandomAccess.Write(handle, new byte[] { (byte)(chunk.Data[(2 * Block) + 5] ^ 0xFF) }, (2 * Block) + 5);
        }

        await ReadWholeAsync(cache, chunk);

        Assert.Equal(1, cache.Statistics.CorruptBlocks);
        Assert.Equal(2, chunk.Opens);
        Assert.Equal(chunk.Data, await File.ReadAllBytesAsync(file, Ct));
    }

    [Fact]
    public async Task A_failed_fetch_reaches_every_reader_waiting_for_it()
    {
        await using var cache = NewCache(64 * Block);
        var chunk = new FakeChunk("failing-0123456789abcdef", 4 * Block) { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };

        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() => ReadAsync(cache, chunk, 0), Ct)).ToArray();
        await Eventually.TrueAsync(() => cache.Statistics.ReadersWaiting == 3, "readers waiting");
        chunk.Gate.SetException(new Core.Errors.PoolException(Core.Errors.PoolErrorKind.Integrity, "Chunk 0 of /f is damaged"));

        foreach (var reader in readers)
        {
            var e = await Assert.ThrowsAsync<Core.Errors.PoolException>(() => reader);
            Assert.Equal(Core.Errors.PoolErrorKind.Integrity, e.Kind);
        }

        Assert.Equal(1, chunk.Opens);
        Assert.Equal(0, cache.Statistics.CachedBytes);
    }

    [Fact]
    public async Task A_fetch_is_cancelled_with_the_reader_that_started_it_and_another_reader_takes_over()
    {
        await using var cache = NewCache(64 * Block);
        var chunk = new FakeChunk("takeover-0123456789abcdef", 4 * Block) { Gate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        using var first = new CancellationTokenSource();

        Assert.True(cache.Prefetch(chunk, new BlockRange(0, 4), first.Token));
        var reader = Task.Run(() => ReadAsync(cache, chunk, 2), Ct);
        await Eventually.TrueAsync(() => cache.Statistics.ReadersWaiting == 1, "the reader waiting on the prefetch");
        await first.CancelAsync();
        await Eventually.TrueAsync(() => chunk.Opens == 2, "the reader fetching the block itself");
        chunk.Gate.SetResult();

        Assert.Equal(chunk.Block(2), await reader);
    }

    [Fact]
    public async Task Prefetching_never_takes_more_than_half_the_cache_nor_evicts_unread_prefetched_data()
    {
        await using var cache = NewCache(4 * 4 * Block);
        using var reader = new CancellationTokenSource();
        var chunks = Enumerable.Range(0, 4).Select(i => new FakeChunk($"prefetch{i}-0123456789abcdef", 4 * Block, seed: i)).ToArray();

        Assert.True(cache.Prefetch(chunks[0], new BlockRange(0, 4), reader.Token));
        Assert.True(cache.Prefetch(chunks[1], new BlockRange(0, 4), reader.Token));
        Assert.False(cache.Prefetch(chunks[2], new BlockRange(0, 4), reader.Token));
        await Eventually.TrueAsync(() => cache.Statistics.FetchedBytes == 8 * Block, "the prefetches landing");

        // Reading a prefetched chunk makes it ordinary cached data, which a later prefetch may evict.
        await ReadWholeAsync(cache, chunks[0]);
        Assert.True(cache.Prefetch(chunks[2], new BlockRange(0, 4), reader.Token));
        await ReadWholeAsync(cache, chunks[1]);
        await ReadWholeAsync(cache, chunks[2]);
        Assert.All(chunks[..3], c => Assert.Equal(1, c.Opens));
    }

    [Fact]
    public async Task Cache_files_are_private_and_the_directory_is_removed_at_dispose()
    {
        var cache = NewCache(64 * Block);
        var chunk = new FakeChunk("private-0123456789abcdef", 2 * Block);
        await ReadWholeAsync(cache, chunk);
        var directory = cache.DirectoryPath!;
        Assert.StartsWith(Path.Combine(_temp, CacheDirectory.RootName), directory, StringComparison.Ordinal);
        Assert.StartsWith($"{Environment.ProcessId}-", Path.GetFileName(directory), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Assert.Single(CacheFiles(cache))));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        }

        await cache.DisposeAsync();

        Assert.False(Directory.Exists(directory));
    }

    [Fact]
    public async Task A_dead_process_cache_directory_is_swept_and_a_live_one_kept()
    {
        var root = Path.Combine(_temp, CacheDirectory.RootName);
        var dead = Path.Combine(root, "999999-deadbeef");
        var live = Path.Combine(root, "999998-a11ce000");
        Directory.CreateDirectory(dead);
        Directory.CreateDirectory(live);
        await File.WriteAllTextAsync(Path.Combine(dead, ".lock"), string.Empty, Ct);
        await File.WriteAllBytesAsync(Path.Combine(dead, "0123456789abcdef.1"), new byte[4096], Ct);
        using (new FileStream(Path.Combine(live, ".lock"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
        {
            await using var cache = NewCache(64 * Block);
            await ReadWholeAsync(cache, new FakeChunk("sweeper-0123456789abcdef", Block));

            Assert.False(Directory.Exists(dead));
            Assert.True(Directory.Exists(live));
        }
    }

    [Fact]
    public async Task A_chunk_larger_than_the_cache_is_not_cached_and_the_reader_is_told_to_go_direct()
    {
        await using var cache = NewCache(2 * Block);
        var chunk = new FakeChunk("toolarge-0123456789abcdef", 4 * Block);

        Assert.False(await cache.ReadBlockAsync(chunk, 0, new BlockRange(0, 4), new byte[Block], default, Ct));
        Assert.Equal(1, cache.Statistics.Bypasses);
        Assert.Equal(0, cache.Statistics.Chunks);
    }

    [Fact]
    public async Task The_null_cache_serves_nothing()
    {
        var chunk = new FakeChunk("null-0123456789abcdef", Block);

        Assert.False(await NullChunkCache.Instance.ReadBlockAsync(chunk, 0, new BlockRange(0, 1), new byte[Block], default, Ct));
        Assert.False(NullChunkCache.Instance.Prefetch(chunk, new BlockRange(0, 1), default));
        Assert.Equal(0, chunk.Opens);
    }
}
