using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Jobs;

/// <summary>
/// A copy checked by reading it back (a destination without a hash) gives its copy slot up before the read: the next
/// copy uploads while the last one is read, as an account's upload and download are separate capacities. With one
/// worker, copies and read-backs here take 50 ms each and run side by side; were a read holding the only slot, they
/// would take turns. A drain sends everything from one remote: copies from it are bounded like copies to one, so they do
/// not all finish together and leave every read-back to the end.
/// </summary>
public sealed class RelocationOverlapTests : IAsyncDisposable
{
    private const int Chunk = 64 * 1024;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly InMemoryRemoteStore _memory = new("a:", "b:");
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "rclonepool-unit-" + Guid.NewGuid().ToString("N"));
    private readonly List<TestPool> _pools = [];

    [Fact]
    public async Task With_one_worker_the_next_copy_starts_while_the_last_one_is_read_back()
    {
        var store = new OverlapWatchingStore(_memory, "b:");
        var before = await OpenAsync(store, ["a:"], []);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            var data = new byte[3 * Chunk];
            new Random(i).NextBytes(data);
            files[$"/f{i}"] = data;
            await before.PutAsync(PoolPath.Parse($"/f{i}"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        }

        var pool = await OpenAsync(store, ["a:", "b:"], ["a:"]);
        await new RemoteMembership(pool).JoinAsync("b:", None);

        var report = await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { Drain = true, Workers = 1 }, None);

        Assert.Empty(report.Failed);
        Assert.Equal(9, report.Moved.Count);
        Assert.Equal(9, store.ReadBacks);
        // Were a read-back holding the only copy slot, no copy could run during it: none would overlap. The first copy
        // has nothing to overlap, and near the end no copy is left.
        Assert.True(store.Overlapped >= 4, $"{store.Overlapped} of 9 read-backs had a copy going on meanwhile");
        foreach (var (path, data) in files)
        {
            await using var stream = await pool.OpenReadAsync(PoolPath.Parse(path), 0, -1, None);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, None);
            Assert.True(data.AsSpan().SequenceEqual(buffer.ToArray()), $"{path} reads back changed");
        }
    }

    [Fact]
    public async Task A_drain_into_three_network_remotes_copies_from_the_leaving_one_two_at_a_time()
    {
        var memory = new InMemoryRemoteStore("a:", "b:", "c:", "d:");
        var store = new ConcurrencyWatchingStore(memory, "a:");
        var before = await OpenAsync(store, ["a:"], []);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            var data = new byte[3 * Chunk];
            new Random(10 + i).NextBytes(data);
            files[$"/f{i}"] = data;
            await before.PutAsync(PoolPath.Parse($"/f{i}"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        }

        var pool = await OpenAsync(store, ["a:", "b:", "c:", "d:"], ["a:"]);
        foreach (var joining in new[] { "b:", "c:", "d:" })
        {
            await new RemoteMembership(pool).JoinAsync(joining, None);
        }

        var report = await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { Drain = true, Workers = 8 }, None);

        Assert.Empty(report.Failed);
        Assert.Equal(12, report.Moved.Count);
        // Three destinations would take two copies each (six at once) if only destinations were bounded.
        Assert.Equal(TransferConcurrency.PerNetworkRemote, store.MostCopiesAtOnce);
        foreach (var (path, data) in files)
        {
            await using var stream = await pool.OpenReadAsync(PoolPath.Parse(path), 0, -1, None);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, None);
            Assert.True(data.AsSpan().SequenceEqual(buffer.ToArray()), $"{path} reads back changed");
        }
    }

    private async Task<StoragePool> OpenAsync(IRemoteStore store, string[] remotes, string[] draining)
    {
        var test = await TestPool.CreateAsync(store, c =>
        {
            c.Remotes = [.. remotes];
            c.DrainingRemotes = [.. draining];
            c.ManifestCacheDir = _directory;
            c.ChunkSize = Chunk;
        }, _directory);
        _pools.Add(test);
        return test.Pool;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pool in _pools)
        {
            await pool.DisposeAsync();
        }
    }

    /// <summary>
    /// In-memory remotes where a chunk write to any remote but <c>source</c> takes 50 ms (as over a network): in a drain
    /// of <c>source</c> those are the copies, and the most of them going on at once is counted.
    /// </summary>
    private sealed class ConcurrencyWatchingStore(InMemoryRemoteStore inner, string source) : PassThroughRemoteStore(inner)
    {
        private int _copying;
        private int _most;

        public int MostCopiesAtOnce => Volatile.Read(ref _most);

        public override async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
        {
            if (target.Remote == source || !target.Path.StartsWith("rclonepool_data/", StringComparison.Ordinal))
            {
                await Inner.WriteAsync(target, content, length, cancellationToken);
                return;
            }

            var now = Interlocked.Increment(ref _copying);
            for (var most = Volatile.Read(ref _most); now > most && Interlocked.CompareExchange(ref _most, now, most) != most; most = Volatile.Read(ref _most))
            {
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
                await Inner.WriteAsync(target, content, length, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _copying);
            }
        }
    }

    /// <summary>
    /// In-memory remotes where each chunk write to and chunk read from <c>watched</c> takes 50 ms (as over a network),
    /// counting the reads that began while a write was going on there.
    /// </summary>
    private sealed class OverlapWatchingStore(InMemoryRemoteStore inner, string watched) : PassThroughRemoteStore(inner)
    {
        private static readonly TimeSpan Transfer = TimeSpan.FromMilliseconds(50);
        private int _writing;
        private int _readBacks;
        private int _overlapped;

        public int ReadBacks => Volatile.Read(ref _readBacks);

        public int Overlapped => Volatile.Read(ref _overlapped);

        private bool IsWatchedChunk(RemotePath path) => path.Remote == watched && path.Path.StartsWith("rclonepool_data/", StringComparison.Ordinal);

        public override async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
        {
            if (!IsWatchedChunk(target))
            {
                await Inner.WriteAsync(target, content, length, cancellationToken);
                return;
            }

            Interlocked.Increment(ref _writing);
            try
            {
                await Task.Delay(Transfer, cancellationToken);
                await Inner.WriteAsync(target, content, length, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _writing);
            }
        }

        public override async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
        {
            if (IsWatchedChunk(source))
            {
                Interlocked.Increment(ref _readBacks);
                await Task.Delay(Transfer / 2, cancellationToken);
                if (Volatile.Read(ref _writing) > 0)
                {
                    Interlocked.Increment(ref _overlapped);
                }

                await Task.Delay(Transfer / 2, cancellationToken);
            }

            return await Inner.OpenReadAsync(source, offset, count, cancellationToken);
        }
    }
}
