using System.Collections.Concurrent;
using RclonePool.Core.Events;

namespace RclonePool.Tests.Unit.Events;

public sealed class PoolEventBusTests
{
    private static PoolEvent Event(PoolEventType type, string path = "/f") => new() { Type = type, Path = path };

    [Fact]
    public void Every_hook_point_has_the_feature_documents_name()
    {
        var names = Enum.GetValues<PoolEventType>().Select(t => t.HookName()).ToList();
        Assert.Equal(
            ["PRE_UPLOAD", "POST_UPLOAD", "PRE_DOWNLOAD", "POST_DOWNLOAD", "PRE_DELETE", "POST_DELETE", "FILE_VERIFIED", "FILE_REPAIRED", "CHUNK_MISSING", "HEALTH_CHECKED", "REMOTE_ERROR", "PROGRESS", "CHUNK_MOVED"],
            names);
    }

    [Fact]
    public void Subscribers_receive_the_types_they_asked_for_stamped_with_the_time()
    {
        var bus = new PoolEventBus();
        var all = new List<PoolEvent>();
        var errors = new List<PoolEvent>();
        using var everything = bus.Subscribe(all.Add);
        using var onlyErrors = bus.Subscribe(errors.Add, PoolEventType.RemoteError);

        bus.Publish(Event(PoolEventType.PreUpload));
        bus.Publish(Event(PoolEventType.RemoteError));

        Assert.Equal([PoolEventType.PreUpload, PoolEventType.RemoteError], all.Select(e => e.Type));
        Assert.Equal(PoolEventType.RemoteError, Assert.Single(errors).Type);
        Assert.All(all, e => Assert.NotEqual(default, e.Time));
    }

    [Fact]
    public void A_throwing_subscriber_does_not_break_the_publisher_or_the_others()
    {
        var bus = new PoolEventBus();
        var received = 0;
        using var bad = bus.Subscribe(_ => throw new InvalidOperationException("subscriber bug"));
        using var good = bus.Subscribe(_ => received++);

        for (var i = 0; i < 10; i++)
        {
            bus.Publish(Event(PoolEventType.PostUpload));
        }

        Assert.Equal(10, received);
        Assert.Equal(10, bad.Failures);
    }

    [Fact]
    public void Unsubscribed_handlers_receive_nothing_more()
    {
        var bus = new PoolEventBus();
        var received = 0;
        var subscription = bus.Subscribe(_ => received++);
        bus.Publish(Event(PoolEventType.PostDelete));
        subscription.Dispose();
        bus.Publish(Event(PoolEventType.PostDelete));
        Assert.Equal(1, received);
        Assert.False(bus.HasSubscribers);
    }

    [Fact]
    public async Task A_stuck_buffered_subscriber_never_blocks_the_publisher_and_drops_the_oldest()
    {
        var bus = new PoolEventBus();
        using var gate = new ManualResetEventSlim(false);
        var seen = new ConcurrentQueue<string?>();
        var stuck = bus.SubscribeBuffered(e =>
        {
            gate.Wait(TestContext.Current.CancellationToken);
            seen.Enqueue(e.Path);
        }, capacity: 4);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            bus.Publish(Event(PoolEventType.Progress, $"/{i}"));
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "publishing waited for a stuck subscriber");
        gate.Set();
        await stuck.DisposeAsync();
        Assert.True(stuck.Dropped > 0);
        Assert.Equal("/99", seen.Last());
    }

    [Fact]
    public async Task An_asynchronous_buffered_subscriber_gets_one_event_at_a_time_in_order_and_its_failures_stay_its_own()
    {
        var bus = new PoolEventBus();
        var seen = new ConcurrentQueue<string?>();
        var running = 0;
        var overlapped = false;
        var subscription = bus.SubscribeBuffered(async e =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            await Task.Delay(2, TestContext.Current.CancellationToken);
            seen.Enqueue(e.Path);
            Interlocked.Decrement(ref running);
            if (e.Path == "/3")
            {
                throw new InvalidOperationException("subscriber bug");
            }
        }, capacity: 64);

        for (var i = 0; i < 10; i++)
        {
            bus.Publish(Event(PoolEventType.PostUpload, $"/{i}"));
        }

        await subscription.DisposeAsync();
        Assert.False(overlapped);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"/{i}"), seen);
        Assert.Equal(1, subscription.Failures);
    }

    [Fact]
    public async Task Concurrent_publishers_and_subscribers_lose_nothing_synchronous()
    {
        var bus = new PoolEventBus();
        var count = 0;
        using var counter = bus.Subscribe(_ => Interlocked.Increment(ref count));
        var churn = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                using var s = bus.Subscribe(_ => { });
            }
        }, TestContext.Current.CancellationToken);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                bus.Publish(Event(PoolEventType.Progress));
            }
        }, TestContext.Current.CancellationToken)));
        await churn;
        Assert.Equal(8000, count);
    }
}
