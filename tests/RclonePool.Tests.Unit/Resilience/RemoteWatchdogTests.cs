using System.Diagnostics;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;
using RclonePool.Core.Resilience;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Resilience;

/// <summary>
/// The watchdog over a store whose remote "a:" can go silent (calls and reads never return) or refuse (calls fail at
/// once), beside a healthy "b:". Time is real but short: a remote may stay silent 400 ms.
/// </summary>
public sealed class RemoteWatchdogTests : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMilliseconds(400);
    private static readonly RemotePath OnA = new("a:", "rclonepool_data/x");
    private static readonly RemotePath OnB = new("b:", "rclonepool_data/x");

    private readonly InMemoryRemoteStore _memory = new("a:", "b:");
    private readonly SilenceableStore _transport;
    private readonly RemoteCircuitBreaker _breaker = new(4, TimeSpan.FromSeconds(30));
    private readonly RemoteWatchdog _watchdog;
    private readonly RetryingRemoteStore _store;
    private readonly List<(string Remote, bool FoundDown)> _opened = [];

    public RemoteWatchdogTests()
    {
        _transport = new SilenceableStore(new ScriptedRemoteStore(_memory));
        _watchdog = new RemoteWatchdog(_transport, _breaker, AnswerTimeout);
        _store = new RetryingRemoteStore(_transport, RetryPipelines.Create(new PoolConfig { Remotes = ["a:", "b:"], MaxRetries = 3, RetryDelay = 0.05 }), _breaker, _watchdog);
        _breaker.Opened += (remote, _, foundDown) => _opened.Add((remote, foundDown));
        _memory.Put("a:rclonepool_data/x", new byte[1 << 20]);
        _memory.Put("b:rclonepool_data/x", new byte[16]);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync() => await _watchdog.DisposeAsync();

    [Fact]
    public async Task A_call_to_a_remote_gone_silent_ends_with_the_rejection_once_a_probe_goes_unanswered()
    {
        _transport.Silent.Add("a:");
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<PoolException>(() => _store.WriteBytesAsync(OnA, new byte[] { 1, 2, 3 }, Ct));

        Assert.True(RemoteCircuitBreaker.IsRejection(e));
        Assert.Contains("a: is skipped", e.Message, StringComparison.Ordinal);
        Assert.Contains("did not answer a probe", e.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, _watchdog.StallAfter, TimeSpan.FromSeconds(5));
        Assert.Equal([("a:", true)], _opened);

        // Later calls are rejected at once; the other remote is untouched.
        clock.Restart();
        await Assert.ThrowsAsync<PoolException>(() => _store.StatAsync(OnA, Ct));
        Assert.True(clock.Elapsed < _watchdog.StallAfter, "a remote known to be down was waited for again");
        Assert.NotNull(await _store.StatAsync(OnB, Ct));
    }

    [Fact]
    public async Task A_slow_call_to_a_remote_that_answers_its_probes_is_left_to_finish()
    {
        _transport.Delay = AnswerTimeout * 4;

        await _store.WriteBytesAsync(OnA, new byte[] { 1, 2, 3 }, Ct);

        Assert.Empty(_opened);
        Assert.True(_transport.Probes > 0, "the long call was never probed");
        Assert.False(_breaker.IsOpen("a:"));
    }

    [Fact]
    public async Task A_long_write_whose_body_the_remote_keeps_taking_is_not_probed()
    {
        _transport.BodyPace = AnswerTimeout / 8; // 1 KiB at a time: 32 KiB take four times the answer timeout

        await _store.WriteBytesAsync(OnA, new byte[32 * 1024], Ct);

        Assert.Equal(0, _transport.Probes);
        Assert.Empty(_opened);
    }

    [Fact]
    public async Task A_remote_busy_with_an_upload_it_took_may_answer_its_probe_late()
    {
        // It answered a call, then took a write's whole body at once; the write completes only later (the bytes sit in
        // buffers ahead of a saturated link) and probes wait behind them, longer than an idle remote's probe may take.
        Assert.NotNull(await _store.StatAsync(OnA, Ct));
        _transport.HoldAfterBody = AnswerTimeout * 4;
        _transport.ProbeDelay = AnswerTimeout;
        Assert.True(_transport.ProbeDelay > _watchdog.ProbeTimeout && _transport.ProbeDelay < _watchdog.BusyProbeTimeout);

        await _store.WriteBytesAsync(OnA, new byte[64 * 1024], Ct);

        Assert.True(_transport.Probes > 0, "the long call was never probed");
        Assert.Empty(_opened);
    }

    [Fact]
    public async Task A_remote_that_never_answered_gets_no_longer_probe_for_the_body_it_took()
    {
        _transport.HoldAfterBody = AnswerTimeout * 4;
        _transport.ProbeDelay = AnswerTimeout;
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<PoolException>(() => _store.WriteBytesAsync(OnA, new byte[64 * 1024], Ct));

        Assert.True(RemoteCircuitBreaker.IsRejection(e));
        Assert.True(clock.Elapsed < _watchdog.StallAfter + _watchdog.BusyProbeTimeout, $"took {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal([("a:", true)], _opened);
    }

    [Fact]
    public async Task A_remote_that_refuses_is_tripped_after_one_probe_instead_of_retried()
    {
        _transport.Refused.Add("a:");
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<PoolException>(() => _store.StatAsync(OnA, Ct));

        Assert.True(RemoteCircuitBreaker.IsRejection(e));
        Assert.Contains("connection refused", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, _transport.Calls);
        Assert.Equal(1, _transport.Probes);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal([("a:", true)], _opened);
    }

    [Fact]
    public async Task A_transient_failure_of_a_remote_that_answers_its_probe_is_retried_as_before()
    {
        var left = 2;
        _transport.FailCall = () => Interlocked.Decrement(ref left) >= 0 ? new PoolException(PoolErrorKind.Transient, "HTTP 503: service unavailable, slow down") : null;

        Assert.NotNull(await _store.StatAsync(OnA, Ct));

        Assert.Equal(3, _transport.Calls);
        Assert.Empty(_opened);
    }

    [Fact]
    public async Task A_read_that_stalls_mid_stream_ends_with_the_rejection()
    {
        await using var stream = await _store.OpenReadAsync(OnA, 0, 1 << 20, Ct);
        var buffer = new byte[64 * 1024];
        Assert.True(await stream.ReadAsync(buffer, Ct) > 0);
        _transport.Silent.Add("a:");

        var e = await Assert.ThrowsAsync<PoolException>(async () =>
        {
            while (await stream.ReadAsync(buffer, Ct) > 0)
            {
            }
        });

        Assert.True(RemoteCircuitBreaker.IsRejection(e));
        Assert.Equal([("a:", true)], _opened);
    }

    [Fact]
    public async Task A_local_directory_is_not_probed_however_long_a_call_takes()
    {
        _transport.Local.Add("a:");
        Assert.NotNull(await _store.StatAsync(OnA, Ct));
        _transport.Silent.Add("a:");
        using var cancel = new CancellationTokenSource(AnswerTimeout * 3);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.StatAsync(OnA, cancel.Token));

        Assert.Equal(0, _transport.Probes);
        Assert.Empty(_opened);
    }

    [Fact]
    public async Task Cancelling_a_call_is_not_taken_for_a_dead_remote()
    {
        _transport.Silent.Add("a:");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _store.StatAsync(OnA, cancel.Token));

        Assert.Empty(_opened);
    }

    /// <summary>
    /// The transport under test: remotes in <see cref="Silent"/> never answer (calls, probes and stream reads wait until
    /// cancelled), remotes in <see cref="Refused"/> fail at once as a refused connection does; <see cref="Delay"/> slows
    /// every call that is not a probe. Probes are the stats of <see cref="RemoteWatchdog.ProbeObject"/>.
    /// </summary>
    private sealed class SilenceableStore(IRemoteStore inner) : IRemoteStore, ILocalDirectoryLookup
    {
        private int _calls;
        private int _probes;

        public HashSet<string> Silent { get; } = [];

        public HashSet<string> Refused { get; } = [];

        /// <summary>Remotes reported as local directories (as rclone's local backend is).</summary>
        public HashSet<string> Local { get; } = [];

        public Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken) =>
            Task.FromResult(Local.Contains(remote) ? "/srv/" + remote.TrimEnd(':') : null);

        public TimeSpan Delay { get; set; }

        public Func<PoolException?> FailCall { get; set; } = () => null;

        public int Calls => Volatile.Read(ref _calls);

        public int Probes => Volatile.Read(ref _probes);

        /// <summary>When set, a write takes its body 1 KiB at a time with this pause between pieces (a slow link).</summary>
        public TimeSpan BodyPace { get; set; }

        /// <summary>When set, a write takes its whole body at once and completes only this much later (bytes buffered on the way).</summary>
        public TimeSpan HoldAfterBody { get; set; }

        /// <summary>How long a probe takes to be answered (a request waiting behind buffered data).</summary>
        public TimeSpan ProbeDelay { get; set; }

        public async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
        {
            await BeforeAsync(target, cancellationToken);
            if (BodyPace > TimeSpan.Zero)
            {
                var taken = new MemoryStream();
                var piece = new byte[1024];
                int read;
                while ((read = await content.ReadAsync(piece, cancellationToken)) > 0)
                {
                    taken.Write(piece, 0, read);
                    await Task.Delay(BodyPace, cancellationToken);
                }

                taken.Position = 0;
                content = taken;
            }

            if (HoldAfterBody > TimeSpan.Zero)
            {
                var taken = new MemoryStream();
                await content.CopyToAsync(taken, cancellationToken);
                await Task.Delay(HoldAfterBody, cancellationToken);
                taken.Position = 0;
                content = taken;
            }

            await inner.WriteAsync(target, content, length, cancellationToken);
        }

        public async Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
        {
            await BeforeAsync(source, cancellationToken);
            return new SilenceableStream(await inner.OpenReadAsync(source, offset, count, cancellationToken), () => Silent.Contains(source.Remote));
        }

        public IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) =>
            inner.ListAsync(directory, recursive, cancellationToken);

        public async Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken)
        {
            await BeforeAsync(path, cancellationToken);
            return await inner.StatAsync(path, cancellationToken);
        }

        public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken) => inner.DeleteAsync(path, cancellationToken);

        public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken) => inner.MoveAsync(from, to, cancellationToken);

        public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken) => inner.AboutAsync(remote, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private async Task BeforeAsync(RemotePath target, CancellationToken cancellationToken)
        {
            var probe = target.Path == RemoteWatchdog.ProbeObject;
            Interlocked.Increment(ref probe ? ref _probes : ref _calls);
            if (Silent.Contains(target.Remote))
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (Refused.Contains(target.Remote))
            {
                throw new PoolException(PoolErrorKind.Transient, $"rclone could not reach {target.Remote}: dial tcp 127.0.0.1:1: connect: connection refused");
            }

            if (probe)
            {
                await Task.Delay(ProbeDelay, cancellationToken);
            }
            else
            {
                await Task.Delay(Delay, cancellationToken);
                if (FailCall() is { } failure)
                {
                    throw failure;
                }
            }
        }
    }

    /// <summary>A read stream that stops delivering (each read waits until cancelled) once its remote goes silent.</summary>
    private sealed class SilenceableStream(Stream inner, Func<bool> silent) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (silent())
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return await inner.ReadAsync(buffer, cancellationToken);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
