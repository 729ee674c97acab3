using RclonePool.Core.Pool;

namespace RclonePool.Tests.Unit.Pool;

/// <summary>
/// The remotes of an open pool grow while it runs; a remote is added only once every write to "every remote" that began
/// without it has ended, so what the joining remote is given next sees each of those writes.
/// </summary>
public sealed class PoolRemoteSetTests
{
    private static readonly PoolRemote A = new("a:", "a:");
    private static readonly PoolRemote B = new("b:", "b:");
    private static readonly PoolRemote C = new("c:", "c:");

    [Fact]
    public async Task An_added_remote_comes_last_and_is_found_by_name()
    {
        var set = new PoolRemoteSet([A, B]);
        Assert.True(await set.AddAsync(C, TestContext.Current.CancellationToken));
        Assert.Equal([A, B, C], set);
        Assert.Equal(3, set.Count);
        Assert.Same(C, set[2]);
        Assert.True(set.TryGet("c:", out var found));
        Assert.Same(C, found);
        Assert.False(set.TryGet("d:", out _));
    }

    [Fact]
    public async Task Adding_a_remote_twice_changes_nothing()
    {
        var set = new PoolRemoteSet([A, B]);
        Assert.False(await set.AddAsync(new PoolRemote("b:", "other:"), TestContext.Current.CancellationToken));
        Assert.Equal([A, B], set);
        Assert.True(set.TryGet("b:", out var found));
        Assert.Same(B, found);
    }

    [Fact]
    public async Task An_add_waits_for_the_leases_taken_before_it_and_later_leases_include_the_new_remote()
    {
        var set = new PoolRemoteSet([A, B]);
        var early = set.Use();
        Assert.Equal([A, B], early.Remotes);

        var adding = set.AddAsync(C, TestContext.Current.CancellationToken);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(adding.IsCompleted, "the add returned while a write without the new remote was still running");

        // A writer that starts now already writes to the new remote, and does not hold the add up.
        using (var late = set.Use())
        {
            Assert.Equal([A, B, C], late.Remotes);
            early.Dispose();
            Assert.True(await adding.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Many_writers_racing_one_add_each_see_a_whole_snapshot_and_the_add_outlasts_every_old_one()
    {
        for (var round = 0; round < 50; round++)
        {
            var set = new PoolRemoteSet([A, B]);
            var oldWritersRunning = 0;
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    using var lease = set.Use();
                    var old = lease.Remotes.Count == 2;
                    if (old)
                    {
                        Interlocked.Increment(ref oldWritersRunning);
                    }

                    await Task.Yield();
                    if (old)
                    {
                        Interlocked.Decrement(ref oldWritersRunning);
                    }
                }
            })).ToArray();

            Assert.True(await set.AddAsync(C, TestContext.Current.CancellationToken));
            var sawOldAfterAdd = Volatile.Read(ref oldWritersRunning) != 0;
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            Assert.False(sawOldAfterAdd, $"round {round}: a write without the new remote was still running when the add returned");
        }
    }
}
