using RclonePool.Core.Index.Sqlite;

namespace RclonePool.Tests.Unit.Index;

public sealed class IndexWriteQueueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writes_that_arrive_during_a_transaction_share_the_next_one()
    {
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        var transactions = new List<int>();
        var queue = new IndexWriteQueue(writes =>
        {
            lock (transactions)
            {
                transactions.Add(writes.Count);
            }

            if (transactions.Count == 1)
            {
                firstStarted.Set();
                releaseFirst.Wait(Ct);
            }

            return null;
        });

        var first = Task.Run(() => queue.RunAsync(_ => { }, Ct).AsTask(), Ct);
        firstStarted.Wait(Ct);
        var waiting = Enumerable.Range(0, 5).Select(_ => queue.RunAsync(_ => { }, Ct).AsTask()).ToList();
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        releaseFirst.Set();
        await first;
        await Task.WhenAll(waiting);
        Assert.Equal([1, 5], transactions);
    }

    [Fact]
    public async Task A_failing_write_fails_only_its_caller_and_the_others_commit()
    {
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        List<string>? staged = null;
        var committed = new List<string>();
        var queue = new IndexWriteQueue(writes =>
        {
            if (committed.Count == 0 && !firstStarted.IsSet)
            {
                firstStarted.Set();
                releaseFirst.Wait(Ct);
            }

            // A stand-in transaction: the writes stage names, which count only when all of them succeed.
            staged = [];
            try
            {
                foreach (var write in writes)
                {
                    write(null!);
                }
            }
            catch (InvalidOperationException e)
            {
                return (e, true);
            }

            committed.AddRange(staged);
            return null;
        });

        var first = Task.Run(() => queue.RunAsync(_ => staged!.Add("first"), Ct).AsTask(), Ct);
        firstStarted.Wait(Ct);
        var good1 = queue.RunAsync(_ => staged!.Add("good1"), Ct).AsTask();
        var bad = queue.RunAsync(_ => throw new InvalidOperationException("bad write"), Ct).AsTask();
        var good2 = queue.RunAsync(_ => staged!.Add("good2"), Ct).AsTask();

        releaseFirst.Set();
        await first;
        await good1;
        await good2;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        Assert.Equal("bad write", error.Message);
        Assert.Equal(["first", "good1", "good2"], committed);
    }

    [Fact]
    public async Task A_failure_of_the_transaction_itself_reaches_every_member()
    {
        var failure = new TimeoutException("locked");
        var queue = new IndexWriteQueue(_ => (failure, false));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => queue.RunAsync(_ => { }, Ct).AsTask());
        Assert.Same(failure, error);
    }

    [Fact]
    public async Task A_write_cancelled_while_it_waits_is_not_run()
    {
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        var ran = 0;
        var queue = new IndexWriteQueue(writes =>
        {
            if (ran++ == 0)
            {
                firstStarted.Set();
                releaseFirst.Wait(Ct);
            }

            foreach (var write in writes)
            {
                write(null!);
            }

            return null;
        });

        var executed = new List<string>();
        var first = Task.Run(() => queue.RunAsync(_ => executed.Add("first"), Ct).AsTask(), Ct);
        firstStarted.Wait(Ct);
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.RunAsync(_ => executed.Add("cancelled"), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        releaseFirst.Set();
        await first;
        await queue.RunAsync(_ => executed.Add("later"), Ct);
        Assert.Equal(["first", "later"], executed);
    }
}
