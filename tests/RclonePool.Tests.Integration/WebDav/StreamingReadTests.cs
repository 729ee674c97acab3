using System.Net;
using System.Net.Http.Headers;
using RclonePool.Core.Caching;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// The read path end to end: a multi-chunk file on local-directory remotes behind real rclone rcd, served over
/// WebDAV, read whole, by ranges (random, open-ended, suffix, crossing chunks, consecutive), concurrently, and after
/// its cache file was damaged; every byte checked.
/// Runs alone: it moves hundreds of MiB, which would disturb the tests that measure the process's peak memory.
/// </summary>
[Collection(nameof(StreamingReadTests))]
[CollectionDefinition(nameof(StreamingReadTests), DisableParallelization = true)]
public sealed class StreamingReadTests : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private static readonly byte[] Content = LocalPool.RandomBytes((5 * 4 * MiB) + 777, 21);
    private RealPool _pool = null!;
    private RunningServer _server = null!;
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ChunkCache Cache => Assert.IsType<ChunkCache>(_pool.Pool.ChunkCache);

    public async ValueTask InitializeAsync()
    {
        _pool = await RealPool.OpenAsync(chunkSize: 4 * MiB, configure: c => c.ChunkCacheSizeMb = 64);
        await _pool.Pool.PutAsync(PoolPath.Parse("/movie.bin"), new MemoryStream(Content), Content.Length, PutOptions.Default, Ct);
        _server = await PoolServer.StartAsync(_pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0 }, null, Ct);
        _client = new HttpClient { BaseAddress = _server.Url, Timeout = TimeSpan.FromMinutes(2) };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        await _pool.DisposeAsync();
    }

    /// <summary>GETs the file (or a range) and checks the body against the expected bytes as it streams in (nothing large is buffered).</summary>
    private async Task GetAndCheckAsync(long? from = null, long? to = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "movie.bin");
        long first = 0, last = Content.Length - 1;
        if (from is not null || to is not null)
        {
            request.Headers.Range = new RangeHeaderValue(from, to);
            (first, last) = from is null ? (Content.Length - to!.Value, Content.Length - 1) : (from.Value, Math.Min(to ?? long.MaxValue, Content.Length - 1));
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(from is null && to is null ? HttpStatusCode.OK : HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(last - first + 1, response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        var buffer = new byte[64 * 1024];
        var position = first;
        int read;
        while ((read = await body.ReadAsync(buffer, Ct)) > 0)
        {
            Assert.True(position + read <= last + 1, "the body is longer than the range");
            Assert.True(buffer.AsSpan(0, read).SequenceEqual(Content.AsSpan((int)position, read)), $"bytes differ in {position}..{position + read - 1}");
            position += read;
        }

        Assert.Equal(last + 1, position);
    }

    [Fact]
    public async Task Whole_gets_and_every_kind_of_range_return_exactly_the_stored_bytes()
    {
        await GetAndCheckAsync();

        var random = new Random(8);
        for (var i = 0; i < 40; i++)
        {
            var from = random.NextInt64(Content.Length);
            var length = i % 3 == 0 ? 65536 : random.NextInt64(1, 9 * MiB);
            await GetAndCheckAsync(from, from + length - 1);
        }

        await GetAndCheckAsync((4 * MiB) - 10, (4 * MiB) + 9);
        await GetAndCheckAsync(13 * MiB, null);
        await GetAndCheckAsync(null, 1000);

        var stats = Cache.Statistics;
        Assert.True(stats.Fetches > 0 && stats.ReadThroughBlocks > 0, stats.ToString());
        Assert.True(stats.CachedBytes <= stats.CapacityBytes);
    }

    [Fact]
    public async Task Consecutive_ranges_like_a_player_streaming_and_concurrent_readers_get_every_byte()
    {
        const int step = (3 * MiB) / 2;
        for (long from = 0; from < Content.Length; from += step)
        {
            await GetAndCheckAsync(from, from + step - 1);
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => i % 2 == 0 ? GetAndCheckAsync() : GetAndCheckAsync(i * MiB, null)));
    }

    [Fact]
    public async Task Concurrent_whole_gets_of_local_files_each_read_the_files_and_stage_nothing_through_the_cache()
    {
        // The first read learns that the remotes are local directories read directly.
        await GetAndCheckAsync();
        var before = Cache.Statistics;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => GetAndCheckAsync()));

        var after = Cache.Statistics;
        Assert.Equal(0, after.Promotions);
        Assert.Equal(before.CachedBytes, after.CachedBytes); // only the short last chunk, fetched whole by the first GET
        Assert.Equal(before.ReadThroughBlocks, after.ReadThroughBlocks);
        Assert.Equal(before.Fetches, after.Fetches);
    }

    [Fact]
    public async Task A_damaged_cache_file_is_not_served_the_chunk_is_fetched_again()
    {
        // Short ranges go through the cache (a lone long read would not stage anything through it).
        const int step = 512 * 1024;
        for (long from = 0; from < Content.Length; from += step)
        {
            await GetAndCheckAsync(from, from + step - 1);
        }

        var directory = Cache.DirectoryPath!;
        Assert.StartsWith(Path.Combine(_pool.Root, "tmp", CacheDirectory.RootName), directory, StringComparison.Ordinal);
        var files = Directory.GetFiles(directory).Where(f => !Path.GetFileName(f).StartsWith('.')).ToList();
        Assert.Equal(6, files.Count);
        foreach (var file in files.Where(f => new FileInfo(f).Length == 4 * MiB))
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            var garbage = new byte[100];
            Random.Shared.NextBytes(garbage);
            RandomAccess.Write(handle, garbage, 300_000);
        }

        // Read back through the cache again (a whole GET of local files reads them directly, past the cache).
        for (long from = 0; from < Content.Length; from += step)
        {
            await GetAndCheckAsync(from, from + step - 1);
        }

        await GetAndCheckAsync(300_000, 300_099);

        Assert.Equal(5, Cache.Statistics.CorruptBlocks);
    }
}
