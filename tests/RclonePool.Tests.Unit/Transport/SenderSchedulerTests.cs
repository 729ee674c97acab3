using RclonePool.Server.Transport;

namespace RclonePool.Tests.Unit.Transport;

/// <summary>
/// Where a connection's sender runs: inline on the flushing thread, unless that connection streams a long body from
/// files and the process streams no more such bodies than half its cores; then on a thread-pool thread.
/// </summary>
public sealed class SenderSchedulerTests
{
    [Fact]
    public void A_connection_that_streams_nothing_sends_inline()
    {
        var scheduler = new SenderScheduler(new FileStreams(), cores: 2);

        Assert.False(scheduler.Parallel);
        Assert.True(RunsInline(scheduler));
    }

    [Fact]
    public void The_only_streaming_connection_on_two_cores_sends_from_another_thread_until_its_body_ends()
    {
        var streams = new FileStreams();
        var scheduler = new SenderScheduler(streams, cores: 2);

        using (scheduler.Stream())
        {
            Assert.True(scheduler.Parallel);
            Assert.False(RunsInline(scheduler));
        }

        Assert.Equal(0, streams.Count);
        Assert.False(scheduler.Parallel);
        Assert.True(RunsInline(scheduler));
    }

    [Fact]
    public void Two_streaming_connections_on_two_cores_both_send_inline_and_one_alone_again_in_parallel()
    {
        var streams = new FileStreams();
        var first = new SenderScheduler(streams, cores: 2);
        var second = new SenderScheduler(streams, cores: 2);
        var other = new SenderScheduler(streams, cores: 2);

        var one = first.Stream();
        using (second.Stream())
        {
            Assert.Equal(2, streams.Count);
            Assert.False(first.Parallel);
            Assert.False(second.Parallel);
            Assert.False(other.Parallel); // it streams nothing itself
            Assert.True(RunsInline(first));
        }

        Assert.True(first.Parallel);
        one.Dispose();
        one.Dispose(); // a second dispose changes nothing
        Assert.Equal(0, streams.Count);
        Assert.False(first.Parallel);
    }

    [Fact]
    public void Four_cores_give_two_streaming_connections_a_sender_thread_each()
    {
        var streams = new FileStreams();
        var schedulers = Enumerable.Range(0, 3).Select(_ => new SenderScheduler(streams, cores: 4)).ToArray();

        using var a = schedulers[0].Stream();
        using (schedulers[1].Stream())
        {
            Assert.True(schedulers[0].Parallel && schedulers[1].Parallel);
            using (schedulers[2].Stream())
            {
                Assert.DoesNotContain(schedulers, s => s.Parallel);
            }
        }
    }

    /// <summary>Schedules one action, waits until it ran, and tells whether it ran on the calling thread.</summary>
    private static bool RunsInline(SenderScheduler scheduler)
    {
        var thread = 0;
        using var ran = new ManualResetEventSlim();
        scheduler.Schedule(_ =>
        {
            thread = Environment.CurrentManagedThreadId;
            ran.Set();
        }, null);
        Assert.True(ran.Wait(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "the scheduled action never ran");
        return thread == Environment.CurrentManagedThreadId;
    }
}
