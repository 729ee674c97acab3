using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Support.Remotes;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Pool;

/// <summary>
/// "auto" for <c>max_parallel_workers</c>: four transfers for a pool of local directories, two per remote across a
/// network (so each account keeps one transfer sending while rclone makes the round trips of another), within 4..32.
/// </summary>
public sealed class TransferConcurrencyTests
{
    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(2, 4)]
    [InlineData(3, 6)]
    [InlineData(4, 8)]
    [InlineData(10, 20)]
    [InlineData(16, 32)]
    [InlineData(100, 32)]
    public void The_rule_gives_two_per_network_remote_within_bounds(int networkRemotes, int workers) =>
        Assert.Equal(workers, TransferConcurrency.For(networkRemotes));

    [Fact]
    public async Task Local_directories_keep_four_and_each_network_remote_adds_two()
    {
        var store = new DirectoryAnswers(r => Task.FromResult(r.StartsWith("disk", StringComparison.Ordinal) ? "/srv/" + r.TrimEnd(':') : null));
        Assert.Equal(4, await new TransferConcurrency(store, Remotes("disk1:", "disk2:", "disk3:", "disk4:"), TimeProvider.System).AutoAsync(TestContext.Current.CancellationToken));
        Assert.Equal(8, await new TransferConcurrency(store, Remotes("cloud1:", "cloud2:", "cloud3:", "cloud4:"), TimeProvider.System).AutoAsync(TestContext.Current.CancellationToken));
        Assert.Equal(6, await new TransferConcurrency(store, Remotes("disk1:", "cloud1:", "cloud2:", "cloud3:"), TimeProvider.System).AutoAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_answer_is_asked_once_and_again_when_a_remote_joins()
    {
        var store = new DirectoryAnswers(_ => Task.FromResult<string?>(null));
        var remotes = Remotes("cloud1:", "cloud2:");
        var concurrency = new TransferConcurrency(store, remotes, TimeProvider.System);
        Assert.Equal(4, await concurrency.AutoAsync(TestContext.Current.CancellationToken));
        Assert.Equal(4, await concurrency.AutoAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, store.Asked);

        Assert.True(await remotes.AddAsync(new PoolRemote("cloud3:", "cloud3:"), TestContext.Current.CancellationToken));
        Assert.Equal(6, await concurrency.AutoAsync(TestContext.Current.CancellationToken));
        Assert.Equal(5, store.Asked);
    }

    [Fact]
    public async Task A_remote_that_does_not_answer_counts_as_a_network_remote_without_holding_up_the_start()
    {
        var never = new TaskCompletionSource<string?>();
        var store = new DirectoryAnswers(r => r == "frozen:" ? never.Task : Task.FromResult<string?>("/srv/" + r.TrimEnd(':')));
        var concurrency = new TransferConcurrency(store, Remotes("disk1:", "disk2:", "frozen:", "cloud1:"), TimeProvider.System, TimeSpan.FromMilliseconds(100));
        var started = DateTime.UtcNow;
        Assert.Equal(4, await concurrency.AutoAsync(TestContext.Current.CancellationToken)); // 2 network remotes: 4
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));

        // Not remembered: the next operation asks the silent remote again, and takes its answer once there is one.
        never.SetResult("/srv/frozen");
        Assert.Equal(4, await concurrency.AutoAsync(TestContext.Current.CancellationToken));
        Assert.Equal(8, store.Asked);
    }

    [Fact]
    public async Task A_remote_that_fails_to_answer_counts_as_a_network_remote()
    {
        var store = new DirectoryAnswers(r => r == "broken:" ? Task.FromException<string?>(new IOException("rclone is restarting")) : Task.FromResult<string?>(null));
        var concurrency = new TransferConcurrency(store, Remotes("broken:", "cloud1:", "cloud2:"), TimeProvider.System);
        Assert.Equal(6, await concurrency.AutoAsync(TestContext.Current.CancellationToken));
    }

    private static PoolRemoteSet Remotes(params string[] names) => new(names.Select(n => new PoolRemote(n, n)));

    /// <summary>A store that says which remotes are local directories as told, and counts the questions.</summary>
    private sealed class DirectoryAnswers(Func<string, Task<string?>> answer) : PassThroughRemoteStore(new InMemoryRemoteStore()), ILocalDirectoryLookup
    {
        private int _asked;

        public int Asked => Volatile.Read(ref _asked);

        public Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _asked);
            return answer(remote);
        }
    }
}
