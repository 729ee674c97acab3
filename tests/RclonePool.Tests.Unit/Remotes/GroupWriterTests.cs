using System.Collections.Concurrent;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Unit.Remotes;

/// <summary>
/// Group commit of small objects per directory: writes go out at once while calls are free, wait and go out together
/// when every call in flight is busy, and each caller learns the fate of its own object.
/// </summary>
public sealed class GroupWriterTests
{
    private static readonly RemotePath Directory = new("mem:", "rclonepool_manifests");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writes_go_out_at_once_while_calls_are_free_and_batched_when_all_are_busy()
    {
        var store = new GatedStore();
        var writer = new GroupWriter(store, maxInFlight: 2);

        // Two writes take both calls; they wait at the gate.
        var first = writer.WriteAsync(Directory, "a", new byte[] { 1 }, Ct);
        var second = writer.WriteAsync(Directory, "b", new byte[] { 2 }, Ct);
        await store.WaitForCallsAsync(2);

        // Six more wait for a call, then go out batched over the calls that free up (even shares of what waits).
        var later = Enumerable.Range(0, 6).Select(i => writer.WriteAsync(Directory, $"c{i}", new byte[] { (byte)i }, Ct)).ToList();
        store.Open();
        await Task.WhenAll([first, second, .. later]);

        Assert.Equal(8, store.Written.Count);
        Assert.InRange(store.Calls.Count, 3, 5);
        Assert.Equal([1, 1], store.Calls.Take(2));
        Assert.True(store.Calls.Skip(2).Max() <= 6);
    }

    [Fact]
    public async Task A_failed_call_fails_only_the_writes_it_carried()
    {
        var store = new GatedStore { FailNames = ["bad"] };
        var writer = new GroupWriter(store, maxInFlight: 4);
        store.Open();

        await writer.WriteAsync(Directory, "good", new byte[] { 1 }, Ct);
        var e = await Assert.ThrowsAsync<PoolException>(() => writer.WriteAsync(Directory, "bad", new byte[] { 2 }, Ct));

        Assert.Contains("bad", e.Message, StringComparison.Ordinal);
        Assert.Equal(["good"], store.Written.Keys);
    }

    [Fact]
    public async Task A_gathering_call_waits_for_the_announced_writes_still_coming_and_packs_them_together()
    {
        var store = new GatedStore();
        store.Open();
        var coming = 4;
        var writer = new GroupWriter(store, maxInFlight: 2, pack: Pack, linger: TimeSpan.FromMinutes(5), coming: () => Volatile.Read(ref coming));

        // Three of four announced uploads hand over their writes: the call lingers for the fourth, and no second call
        // starts beside it to split what gathered.
        var written = new List<Task<bool>>();
        for (var i = 0; i < 3; i++)
        {
            Interlocked.Decrement(ref coming);
            written.Add(writer.WriteAsync(Directory, $"m{i}", new byte[] { (byte)i }, Ct, announced: true));
        }

        await Task.Delay(200, Ct);
        Assert.Empty(store.Calls);
        Assert.All(written, w => Assert.False(w.IsCompleted));

        Interlocked.Decrement(ref coming);
        written.Add(writer.WriteAsync(Directory, "m3", new byte[] { 3 }, Ct, announced: true));
        Assert.All(await Task.WhenAll(written), Assert.True);
        Assert.Equal([1], store.Calls);
        Assert.Equal("pack of m0,m1,m2,m3", Assert.Single(store.Written.Keys));
    }

    [Fact]
    public async Task An_announced_write_with_none_other_coming_goes_out_at_once_without_waiting_out_the_linger()
    {
        var store = new GatedStore();
        store.Open();
        var writer = new GroupWriter(store, maxInFlight: 2, pack: Pack, linger: TimeSpan.FromMinutes(5), coming: () => 0);

        var packed = await writer.WriteAsync(Directory, "alone", new byte[] { 1 }, Ct, announced: true).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.False(packed);
        Assert.Equal(["alone"], store.Written.Keys);
    }

    [Fact]
    public async Task Writes_nobody_announced_linger_the_whole_time_and_share_a_pack()
    {
        var store = new GatedStore();
        store.Open();
        var writer = new GroupWriter(store, maxInFlight: 2, pack: Pack, linger: TimeSpan.FromMilliseconds(500), coming: () => 0);

        // Tombstones of a recursive delete, say: nothing tells that more are near, so they wait the linger for each other.
        var first = writer.WriteAsync(Directory, "t0", new byte[] { 0 }, Ct);
        var second = writer.WriteAsync(Directory, "t1", new byte[] { 1 }, Ct);

        Assert.All(await Task.WhenAll(first, second), Assert.True);
        Assert.Equal("pack of t0,t1", Assert.Single(store.Written.Keys));
    }

    [Fact]
    public async Task A_write_to_several_directories_packs_each_batch_once_and_sends_the_same_pack_to_each()
    {
        var store = new GatedStore();
        var packs = 0;
        var coming = 3;
        var writer = new GroupWriter(store, maxInFlight: 2, pack: records => { Interlocked.Increment(ref packs); return Pack(records); },
            linger: TimeSpan.FromMinutes(5), coming: () => Volatile.Read(ref coming));
        RemotePath[] directories = [new("a:", "rclonepool_manifests"), new("b:", "rclonepool_manifests"), new("c:", "rclonepool_manifests")];
        store.Open();

        // Three announced uploads hand over their manifests: one queue for the three directories gathers them.
        var written = new List<Task<GroupWriteOutcome>>();
        for (var i = 0; i < 3; i++)
        {
            Interlocked.Decrement(ref coming);
            written.Add(writer.WriteToEachAsync(directories, $"m{i}", new byte[] { (byte)i }, Ct, announced: true));
            await Task.Delay(50, Ct); // the gathering call has seen this one arrive before the next is no longer coming
        }

        var outcomes = await Task.WhenAll(written).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.All(outcomes, o => Assert.True(o.AllWritten && o.Packed));
        Assert.Equal(1, packs);
        Assert.Equal(["a:", "b:", "c:"], store.CallLog.Select(c => c.Directory.Remote).Order());
        Assert.All(store.CallLog, c => Assert.Equal(["pack of m0,m1,m2"], c.Names));
        Assert.Equal(3, writer.ObjectsWritten);
    }

    [Fact]
    public async Task A_directory_that_fails_is_reported_for_that_directory_while_the_others_hold_their_copies()
    {
        var store = new GatedStore { FailRemotes = ["b:"] };
        var writer = new GroupWriter(store, maxInFlight: 2);
        RemotePath[] directories = [new("a:", "rclonepool_manifests"), new("b:", "rclonepool_manifests"), new("c:", "rclonepool_manifests")];
        store.Open();

        var outcome = await writer.WriteToEachAsync(directories, "m", new byte[] { 1 }, Ct);

        Assert.False(outcome.AllWritten);
        Assert.False(outcome.Packed);
        Assert.Null(outcome.ErrorAt(0));
        Assert.Contains("b:", Assert.IsType<PoolException>(outcome.ErrorAt(1)).Message, StringComparison.Ordinal);
        Assert.Null(outcome.ErrorAt(2));
        Assert.Equal(["a:", "c:"], store.CallLog.Where(c => c.Written).Select(c => c.Directory.Remote).Order());
    }

    [Fact]
    public async Task The_copies_of_a_batch_that_block_their_thread_are_written_by_two_threads_at_once()
    {
        // Like a local directory: each copy is written synchronously on the thread that starts it. Two copies can be in
        // progress together only if they were started on two threads.
        await using var store = new BlockingStore(parallelism: 2);
        var writer = new GroupWriter(store);
        RemotePath[] directories = [new("a:", "rclonepool_manifests"), new("b:", "rclonepool_manifests"), new("c:", "rclonepool_manifests"), new("d:", "rclonepool_manifests")];

        var outcome = await Task.Run(() => writer.WriteToEachAsync(directories, "m", new byte[] { 1 }, Ct), Ct).WaitAsync(TimeSpan.FromSeconds(150), Ct);

        Assert.True(outcome.AllWritten);
        Assert.Equal(["a:", "b:", "c:", "d:"], store.Written.Order());
        Assert.True(store.MetAnother, "no two copies were written at the same time");
    }

    private static NamedBytes Pack(IReadOnlyList<NamedBytes> records) => new($"pack of {string.Join(',', records.Select(r => r.Name))}", new byte[] { (byte)records.Count });

    /// <summary>
    /// Batched writes that complete synchronously, each waiting for another write in progress at the same time: up to
    /// 30 s, because a thread-pool thread can take seconds to start on a busy 2-core machine (a pair that meets returns at once).
    /// </summary>
    private sealed class BlockingStore(int parallelism) : BatchOnlyStore
    {
        private readonly Barrier _together = new(parallelism);
        private int _met;

        public ConcurrentQueue<string> Written { get; } = new();

        public bool MetAnother => Volatile.Read(ref _met) > 0;

        public override Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken)
        {
            if (_together.SignalAndWait(TimeSpan.FromSeconds(30), cancellationToken))
            {
                Interlocked.Increment(ref _met);
            }

            Written.Enqueue(directory.Remote);
            return Task.CompletedTask;
        }

        public override ValueTask DisposeAsync()
        {
            _together.Dispose();
            return base.DisposeAsync();
        }
    }

    /// <summary>Batched writes that wait at a gate until it opens; counts the objects of each call.</summary>
    private sealed class GatedStore : BatchOnlyStore
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;

        public ConcurrentDictionary<string, byte[]> Written { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<int> Calls { get; } = new();

        public string[] FailNames { get; init; } = [];

        public string[] FailRemotes { get; init; } = [];

        /// <summary>Every call: its directory, the names it carried, and whether it wrote them.</summary>
        public ConcurrentQueue<(RemotePath Directory, string[] Names, bool Written)> CallLog { get; } = new();

        public void Open() => _gate.TrySetResult();

        public async Task WaitForCallsAsync(int count)
        {
            while (Volatile.Read(ref _started) < count)
            {
                await Task.Delay(5, Ct);
            }
        }

        public override async Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken)
        {
            Calls.Enqueue(objects.Count);
            Interlocked.Increment(ref _started);
            await _gate.Task.WaitAsync(cancellationToken);
            var names = objects.Select(o => o.Name).ToArray();
            if (names.FirstOrDefault(FailNames.Contains) is { } bad)
            {
                CallLog.Enqueue((directory, names, false));
                throw new PoolException(PoolErrorKind.Transient, $"injected failure writing {bad}");
            }

            if (FailRemotes.Contains(directory.Remote))
            {
                CallLog.Enqueue((directory, names, false));
                throw new PoolException(PoolErrorKind.Transient, $"injected failure writing to {directory.Remote}");
            }

            CallLog.Enqueue((directory, names, true));

            foreach (var item in objects)
            {
                Written[item.Name] = item.Bytes.ToArray();
            }
        }

    }

    /// <summary>A store that only takes batched writes: what the group writer calls.</summary>
    private abstract class BatchOnlyStore : IRemoteStore, IBatchedWrites
    {
        public abstract Task WriteManyAsync(RemotePath directory, IReadOnlyList<NamedBytes> objects, CancellationToken cancellationToken);

        public Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => throw new NotSupportedException();

        public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
