using System.Collections.Concurrent;
using System.Diagnostics;
using RclonePool.Benchmarks.Reading;
using RclonePool.Core.Config;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;

namespace RclonePool.Benchmarks.Writing;

/// <summary>
/// A measurement of the small-file write path (not a timed test): many 100-byte PutAsync calls, a few at a time,
/// on local-directory remotes behind real rclone rcd (or in memory with <c>--memory</c>, which leaves only the pool's
/// own costs). Every file differs unless <c>--same-content</c> (then all but the first are duplicates). Prints files/s,
/// the CPU time this process spent per file (the pool's side; rclone rcd is another process) and where the time
/// went per remote operation.
/// <code>dotnet run -c Release --project bench/RclonePool.Benchmarks -- small-puts [--files 2000] [--concurrency 8] [--remotes 4] [--memory] [--same-content]</code>
/// </summary>
internal static class SmallPutCheck
{
    public static async Task<int> RunAsync(string[] args)
    {
        var files = Option(args, "--files", 2000);
        var concurrency = Option(args, "--concurrency", 8);
        var remotes = Option(args, "--remotes", 4);
        var memory = args.Contains("--memory");
        var same = args.Contains("--same-content");
        var root = Path.Combine(Path.GetTempPath(), "rclonepool-smallput-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var config = new PoolConfig
            {
                Remotes = [.. Enumerable.Range(1, remotes).Select(i => Path.Combine(root, "remotes", $"r{i}"))],
                ManifestCacheDir = Path.Combine(root, "index"),
                TempDir = Path.Combine(root, "tmp"),
            };
            config.Remotes.ForEach(r => Directory.CreateDirectory(r));
            await using var inner = memory ? new MemoryRemoteStore() : RemoteStoreFactory.Create(config);
            var store = new TimingStore(inner);
            await new PoolDescriptors(store, new PoolLayout(config.DataPrefix, config.ManifestPrefix)).EnsureAsync(PoolRemote.FromConfig(config), TimeProvider.System, CancellationToken.None);
            await using var pool = await new PoolBuilder(config).UseTransport(store).OpenAsync(CancellationToken.None);
            var body = new byte[100];
            Random.Shared.NextBytes(body);
            await pool.PutAsync(PoolPath.Parse("/warm.txt"), new MemoryStream(body), body.Length, PutOptions.Default, CancellationToken.None);
            store.Reset();

            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var latencies = new ConcurrentBag<double>();
            await Parallel.ForEachAsync(Enumerable.Range(0, files), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
            {
                var started = Stopwatch.GetTimestamp();
                var content = same ? body : [.. body[..92], .. BitConverter.GetBytes((long)i)];
                await pool.PutAsync(PoolPath.Parse($"/small/s{i:D5}.txt"), new MemoryStream(content), content.Length, PutOptions.Default, ct);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            });
            var elapsed = clock.Elapsed;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var sorted = latencies.Order().ToList();
            Console.WriteLine($"small-puts: {files} x 100 B ({(same ? "all the same content" : "all different")}), {concurrency} at a time, {remotes} {(memory ? "in-memory remotes" : "local remotes via rclone rcd")}");
            Console.WriteLine($"  {files / elapsed.TotalSeconds:F0} files/s; latency median {sorted[sorted.Count / 2]:F1} ms, p95 {sorted[(int)(sorted.Count * 0.95)]:F1} ms");
            Console.WriteLine($"  CPU of this process (the pool, not rclone rcd): {cpu.TotalMilliseconds / files:F3} ms/file");
            foreach (var (operation, (count, total)) in store.Totals.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {operation,-8} {count,7} calls  {(double)count / files,5:F1}/file  mean {total / Math.Max(1, count):F2} ms");
            }

            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Counts the store's calls and their wall time, per operation.</summary>
    private sealed class TimingStore(IRemoteStore inner) : IRemoteStore, IBatchedWrites
    {
        private readonly ConcurrentDictionary<string, (long Count, double Milliseconds)> _totals = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, (long Count, double Milliseconds)> Totals => _totals;

        public void Reset() => _totals.Clear();

        private async Task<T> TimeAsync<T>(string operation, Func<Task<T>> call)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                return await call();
            }
            finally
            {
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                _totals.AddOrUpdate(operation, (1, ms), (_, t) => (t.Count + 1, t.Milliseconds + ms));
            }
        }

        public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken) =>
            TimeAsync("read", () => inner.OpenReadAsync(source, offset, count, cancellationToken));

        public Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken) =>
            TimeAsync("write", async () => { await inner.WriteAsync(target, content, length, cancellationToken); return 0; });

        public IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) => inner.ListAsync(directory, recursive, cancellationToken);

        public Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken) =>
            TimeAsync("writemany", async () => { await inner.WriteManyAsync(directory, objects, cancellationToken); return 0; });

        public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) =>
            TimeAsync("stat", () => inner.StatAsync(path, cancellationToken));

        public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) =>
            TimeAsync("delete", () => inner.DeleteAsync(path, cancellationToken));

        public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) =>
            TimeAsync("move", async () => { await inner.MoveAsync(from, to, cancellationToken); return 0; });

        public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) =>
            TimeAsync("about", () => inner.AboutAsync(remote, cancellationToken));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
