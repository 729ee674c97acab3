using Polly;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Remotes;
using RclonePool.Core.Resilience;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Resilience;

public sealed class RetryingRemoteStoreTests
{
    private static readonly RemotePath Target = new("a:", "rclonepool_manifests/x.json");
    private static readonly CancellationToken None = CancellationToken.None;

    private static (RetryingRemoteStore Store, ScriptedRemoteStore Script, List<PoolEvent> Events, InMemoryRemoteStore Memory) Create(int retries = 3)
    {
        var memory = new InMemoryRemoteStore("a:");
        var script = new ScriptedRemoteStore(memory);
        var bus = new PoolEventBus();
        var events = new List<PoolEvent>();
        bus.Subscribe(e => { lock (events) { events.Add(e); } }, PoolEventType.RemoteError);
        var pipeline = RetryPipelines.Create(new PoolConfig { Remotes = ["a:"], MaxRetries = retries, RetryDelay = 0.001 });
        return (new RetryingRemoteStore(new ReportingRemoteStore(script, bus, s => s == "a:" ? "remote-a" : s), pipeline), script, events, memory);
    }

    [Fact]
    public async Task Transient_failures_are_retried_and_each_raises_REMOTE_ERROR()
    {
        var (store, script, events, memory) = Create();
        script.FailFirst("write", 2, PoolErrorKind.Transient);

        await store.WriteBytesAsync(Target, "{}"u8.ToArray(), None);

        Assert.Equal(3, script.Calls["write"]);
        Assert.Equal("{}"u8.ToArray(), memory.Objects["a:rclonepool_manifests/x.json"]);
        Assert.Equal(2, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal("remote-a", e.Remote);
            Assert.Equal("write", e.Operation);
            Assert.Equal(PoolErrorKind.Transient, e.ErrorKind);
        });
    }

    [Theory]
    [InlineData(PoolErrorKind.Remote)]
    [InlineData(PoolErrorKind.BadInput)]
    [InlineData(PoolErrorKind.NoSpace)]
    public async Task Permanent_failures_fail_at_once_with_the_remote_named(PoolErrorKind kind)
    {
        var (store, script, events, _) = Create();
        script.FailFirst("stat", 5, kind);

        var e = await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(Target, None));

        Assert.Equal(kind, e.Kind);
        Assert.Contains("a:", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, script.Calls["stat"]);
        Assert.Single(events);
    }

    [Fact]
    public async Task Retries_stop_after_max_retries()
    {
        var (store, script, events, _) = Create(retries: 2);
        script.FailFirst("delete", 100, PoolErrorKind.Transient);
        await Assert.ThrowsAsync<PoolException>(() => store.DeleteAsync(Target, None));
        Assert.Equal(3, script.Calls["delete"]);
        Assert.Equal(3, events.Count);
    }

    [Fact]
    public async Task A_missing_object_is_an_answer_not_a_remote_error()
    {
        var (store, _, events, _) = Create();
        var e = await Assert.ThrowsAsync<PoolException>(() => store.OpenReadAsync(Target, 0, -1, None));
        Assert.Equal(PoolErrorKind.NotFound, e.Kind);
        Assert.Empty(events);
    }

    [Fact]
    public async Task One_pass_streams_are_not_retried_here()
    {
        var (store, script, _, _) = Create();
        script.FailFirst("write", 1, PoolErrorKind.Transient);
        await Assert.ThrowsAsync<PoolException>(() => store.WriteAsync(Target, new OnePass([1, 2, 3]), 3, None));
        Assert.Equal(1, script.Calls["write"]);
    }

    [Fact]
    public async Task Listings_are_retried_until_they_start()
    {
        var (store, script, _, memory) = Create();
        await memory.WriteBytesAsync(new RemotePath("a:", "d/one"), new byte[] { 1 }, None);
        script.FailFirst("list", 2, PoolErrorKind.Transient);
        var items = new List<RemoteEntry>();
        await foreach (var item in store.ListAsync(new RemotePath("a:", "d"), recursive: false, None))
        {
            items.Add(item);
        }

        Assert.Equal("d/one", Assert.Single(items).Path);
        Assert.Equal(3, script.Calls["list"]);
    }

    [Fact]
    public async Task Without_enable_retry_nothing_is_retried()
    {
        var memory = new InMemoryRemoteStore("a:");
        var script = new ScriptedRemoteStore(memory);
        var store = new RetryingRemoteStore(script, RetryPipelines.Create(new PoolConfig { Remotes = ["a:"], EnableRetry = false }));
        script.FailFirst("stat", 1, PoolErrorKind.Transient);
        await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(Target, None));
        Assert.Equal(1, script.Calls["stat"]);
        Assert.Same(ResiliencePipeline.Empty, RetryPipelines.Create(new PoolConfig { Remotes = ["a:"], EnableRetry = false }));
    }

    [Fact]
    public async Task A_remote_that_fails_transiently_in_a_row_is_skipped_at_once_until_the_cool_down_ends()
    {
        var memory = new InMemoryRemoteStore("a:", "b:");
        var script = new ScriptedRemoteStore(memory);
        var clock = new StepClock();
        var config = new PoolConfig { Remotes = ["a:", "b:"], MaxRetries = 3, RetryDelay = 0.001 };
        var breaker = new RemoteCircuitBreaker(3, TimeSpan.FromSeconds(30), clock);
        var store = new RetryingRemoteStore(script, RetryPipelines.Create(config), breaker);
        script.Fail = (_, target) => target.Remote == "a:" ? new PoolException(PoolErrorKind.Transient, "connection refused") : null;

        // The third failure in a row opens the circuit: the fourth attempt is rejected, and not retried.
        var first = await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(Target, None));
        Assert.Equal(3, script.Calls["stat"]);
        Assert.True(RemoteCircuitBreaker.IsRejection(first));
        Assert.Equal(PoolErrorKind.Transient, first.Kind);
        Assert.Contains("a: is skipped", first.Message, StringComparison.Ordinal);

        // Later operations on that remote, of any kind, fail at once without calling it; other remotes are untouched.
        await Assert.ThrowsAsync<PoolException>(() => store.WriteAsync(Target, new OnePass([1]), 1, None));
        Assert.False(script.Calls.ContainsKey("write"));
        await store.WriteBytesAsync(new RemotePath("b:", "x"), new byte[] { 2 }, None);
        Assert.Equal(1, script.Calls["write"]);

        // After the cool-down, calls go through again; one more failure opens the circuit again.
        clock.Advance(TimeSpan.FromSeconds(31));
        await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(Target, None));
        Assert.Equal(4, script.Calls["stat"]);

        // A remote that answers closes its circuit.
        clock.Advance(TimeSpan.FromSeconds(31));
        script.Fail = (_, _) => null;
        Assert.Null(await store.StatAsync(Target, None));
        script.Fail = (_, target) => target.Remote == "a:" ? new PoolException(PoolErrorKind.Transient, "connection refused") : null;
        await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(Target, None));
        Assert.Equal(5 + 3, script.Calls["stat"]);
    }

    [Fact]
    public async Task Permanent_failures_and_answers_do_not_open_a_circuit()
    {
        var memory = new InMemoryRemoteStore("a:");
        var script = new ScriptedRemoteStore(memory);
        var breaker = new RemoteCircuitBreaker(2, TimeSpan.FromMinutes(1));
        var store = new RetryingRemoteStore(script, ResiliencePipeline.Empty, breaker);
        for (var i = 0; i < 5; i++)
        {
            script.FailFirst("stat", 1, PoolErrorKind.Transient);
            await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(Target, None));
            script.FailFirst("stat", 1, PoolErrorKind.NoSpace);
            await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(Target, None));
        }

        Assert.Equal(10, script.Calls["stat"]);
    }

    private sealed class StepClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    private sealed class OnePass(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
