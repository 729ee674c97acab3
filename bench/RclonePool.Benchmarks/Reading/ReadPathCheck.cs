using System.Diagnostics;
using System.Globalization;
using RclonePool.Core.Config;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;

namespace RclonePool.Benchmarks.Reading;

/// <summary>
/// A measurement of the read path (not a timed test): one file on local-directory remotes behind real rclone rcd,
/// read through the pool with the chunk cache off and on. Prints sequential MB/s, random 64 KiB read latency,
/// concurrent random reads per second, and 32 concurrent streaming readers' MB/s and peak resident memory.
/// <code>dotnet run -c Release --project bench/RclonePool.Benchmarks -- read-path [--size-mb 1024] [--chunk-mb 100] [--cache-mb 500] [--remotes 3] [--prefetch 2] [--memory]</code>
/// </summary>
internal static class ReadPathCheck
{
    private const int MiB = 1024 * 1024;
    private const int Small = 64 * 1024;
    private static readonly PoolPath File = PoolPath.Parse("/bench.bin");

    private static bool SequentialOnly { get; set; }

    public static async Task<int> RunAsync(string[] args)
    {
        var sizeMb = Option(args, "--size-mb", 1024);
        var chunkMb = Option(args, "--chunk-mb", 100);
        var cacheMb = Option(args, "--cache-mb", 500);
        var remotes = Option(args, "--remotes", 3);
        var prefetch = Option(args, "--prefetch", 2);
        var memory = args.Contains("--memory");
        SequentialOnly = args.Contains("--sequential-only");
        IRemoteStore? shared = memory ? new MemoryRemoteStore() : null;
        var root = Path.Combine(Path.GetTempPath(), "rclonepool-readbench-" + Guid.NewGuid().ToString("N")[..8]);
        var shm = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "rclonepool-readbench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var config = new PoolConfig
            {
                Remotes = [.. Enumerable.Range(1, remotes).Select(i => Path.Combine(root, "remotes", $"r{i}"))],
                ChunkSize = chunkMb * (long)MiB,
                ManifestCacheDir = Path.Combine(root, "index"),
                TempDir = shm,
                ChunkCacheSizeMb = cacheMb,
                PrefetchChunks = prefetch,
            };
            config.Remotes.ForEach(r => Directory.CreateDirectory(r));
            Console.WriteLine($"read-path: {sizeMb} MiB file, {chunkMb} MiB chunks, {remotes} {(memory ? "in-memory remotes" : "local remotes via rclone rcd")}, cache {cacheMb} MiB in {shm}, {Environment.ProcessorCount} cores");

            await using (var pool = await OpenAsync(config, init: true, shared))
            {
                var clock = Stopwatch.StartNew();
                await pool.Pool.PutAsync(File, new PatternStream(sizeMb * (long)MiB), sizeMb * (long)MiB, PutOptions.Default, CancellationToken.None);
                Console.WriteLine($"  upload                      {Rate(sizeMb * (long)MiB, clock.Elapsed)}");
            }

            foreach (var cache in new[] { false, true })
            {
                config.EnableChunkCache = cache;
                await using var pool = await OpenAsync(config, init: false, shared);
                Console.WriteLine(cache ? $"cache on ({cacheMb} MiB, prefetch {config.PrefetchChunks} chunks):" : "cache off:");
                await MeasureAsync(pool.Pool, sizeMb * (long)MiB);
                var s = pool.Pool.ChunkCache.Statistics;
                if (cache)
                {
                    Console.WriteLine($"  cache: {s.Hits} hits, {s.Misses} misses, {s.Fetches} fetches ({s.FetchedBytes / MiB} MiB, {s.Prefetches} prefetches), {s.Evictions} evictions, {s.Bypasses} bypasses");
                }
            }

            return 0;
        }
        finally
        {
            TryDelete(root);
            TryDelete(shm);
        }
    }

    private static async Task MeasureAsync(StoragePool pool, long size)
    {
        // Sequential: one stream reads the whole file, twice (the second may hit the cache).
        for (var pass = 1; pass <= 2; pass++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await DrainAsync(pool, 0, -1, 256 * 1024);
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine($"  sequential read, pass {pass}    {Rate(size, clock.Elapsed)}, {used.TotalMilliseconds / (size / (double)MiB) * 1024:F0} ms CPU per GiB");
        }

        if (SequentialOnly)
        {
            return;
        }

        // Seek: random 64 KiB ranges one after another, each a new read (like a Range request); then the same offsets again.
        var random = new Random(42);
        var offsets = Enumerable.Range(0, 200).Select(_ => random.NextInt64(size - Small)).ToArray();
        for (var pass = 1; pass <= 2; pass++)
        {
            var times = new List<double>();
            foreach (var offset in offsets)
            {
                var clock = Stopwatch.StartNew();
                await DrainAsync(pool, offset, Small, Small);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            Console.WriteLine($"  random 64 KiB, pass {pass}      median {times[times.Count / 2]:F2} ms, p95 {times[(int)(times.Count * 0.95)]:F2} ms");
        }

        // Concurrent random reads: 16 workers for 5 s.
        var stop = Stopwatch.StartNew();
        long requests = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            var r = new Random(w);
            while (stop.Elapsed < TimeSpan.FromSeconds(5))
            {
                await DrainAsync(pool, r.NextInt64(size - Small), Small, Small);
                Interlocked.Increment(ref requests);
            }
        })));
        Console.WriteLine($"  16 concurrent random 64 KiB {requests / stop.Elapsed.TotalSeconds:F0} reads/s");

        // 32 concurrent streaming readers, each 1/8 of the file from a different place; peak resident memory.
        var baseline = ResidentBytes();
        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ResidentBytes());
                await Task.Delay(10);
            }
        });
        var each = size / 8;
        var all = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() => DrainAsync(pool, i * (size - each) / 31, each, 256 * 1024))));
        var elapsed = all.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        Console.WriteLine($"  32 concurrent streams       {Rate(32 * each, elapsed)} aggregate; resident {baseline / MiB} MiB before, peak {peak / MiB} MiB (+{(peak - baseline) / MiB} MiB)");
    }

    private static async Task DrainAsync(StoragePool pool, long offset, long count, int bufferSize)
    {
        await using var stream = await pool.OpenReadAsync(File, offset, count, CancellationToken.None);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            while (await stream.ReadAsync(buffer.AsMemory(0, bufferSize)) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<OpenPool> OpenAsync(PoolConfig config, bool init, IRemoteStore? shared)
    {
        var store = shared ?? RemoteStoreFactory.Create(config);
        if (init)
        {
            await new PoolDescriptors(store, new PoolLayout(config.DataPrefix, config.ManifestPrefix)).EnsureAsync(PoolRemote.FromConfig(config), TimeProvider.System, CancellationToken.None);
        }

        var pool = await new PoolBuilder(config).UseTransport(store).OpenAsync(CancellationToken.None);
        return new OpenPool(pool, shared is null ? store : null);
    }

    private sealed record OpenPool(StoragePool Pool, IRemoteStore? Store) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Pool.DisposeAsync();
            if (Store is not null)
            {
                await Store.DisposeAsync();
            }
        }
    }

    private static long ResidentBytes()
    {
        foreach (var line in System.IO.File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return Environment.WorkingSet;
    }

    private static string Rate(long bytes, TimeSpan elapsed) => $"{bytes / (double)MiB / elapsed.TotalSeconds,8:F0} MiB/s ({elapsed.TotalSeconds:F2} s)";

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>Deterministic, poorly compressible bytes of a given length, generated as they are read.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;
        private ulong _state = 0x9E3779B97F4A7C15;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position) & ~7;
            if (n == 0 && _position < length)
            {
                n = (int)Math.Min(buffer.Length, length - _position);
            }

            for (var i = 0; i < n; i++)
            {
                if ((i & 7) == 0)
                {
                    _state ^= _state << 13;
                    _state ^= _state >> 7;
                    _state ^= _state << 17;
                }

                buffer[i] = (byte)(_state >> ((i & 7) * 8));
            }

            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
