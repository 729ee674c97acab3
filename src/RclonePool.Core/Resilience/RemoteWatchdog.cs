using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Resilience;

/// <summary>
/// Tells a remote that is down from one that is slow, within <see cref="AnswerTimeout"/> of the first call that meets
/// it. Every call and every stream read waiting on a remote is tracked (<see cref="Begin"/>); when one has waited
/// <see cref="StallAfter"/> while the remote gave no sign of life (no call answered, no bytes read), or when a call
/// fails transiently, the remote is probed: a stat of an object that need not exist, through the transport itself (no
/// retries), bounded by <see cref="ProbeTimeout"/>, or by <see cref="BusyProbeTimeout"/> while the remote is busy with
/// our data (a write whose body it took is still in flight, and it answered a call or a probe within that time: on a
/// saturated link every request waits behind the megabytes already buffered on the way, so a late answer there is not
/// silence). Any answer, "not found" included,
/// proves it alive and long calls go on; no answer in time, or a failure to connect, trips its
/// <see cref="RemoteCircuitBreaker"/>, which ends every call waiting on it and makes placement and reads go elsewhere. One probe per remote at a time; callers share it. Remotes
/// that rclone reports as local directories are not probed (their failures still count towards the circuit).
/// </summary>
public sealed class RemoteWatchdog : IAsyncDisposable
{
    /// <summary>The object the probe stats: it need not exist ("not found" is an answer).</summary>
    public const string ProbeObject = "rclonepool_probe";

    private readonly IRemoteStore _transport;
    private readonly RemoteCircuitBreaker _breaker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RemoteActivity> _remotes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();
    private readonly ITimer _sweeper;

    /// <param name="transport">The store below the retries: a probe is one attempt.</param>
    /// <param name="breaker">The circuits the probe trips.</param>
    /// <param name="answerTimeout">How long a remote may give no sign of life while a call waits on it.</param>
    public RemoteWatchdog(IRemoteStore transport, RemoteCircuitBreaker breaker, TimeSpan answerTimeout, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(breaker);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(answerTimeout, TimeSpan.Zero);
        _transport = transport;
        _breaker = breaker;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        AnswerTimeout = answerTimeout;
        StallAfter = answerTimeout * 0.4;
        ProbeTimeout = answerTimeout * 0.5;
        BusyProbeTimeout = answerTimeout * 3;
        var sweep = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(250).Ticks, answerTimeout.Ticks / 20));
        _sweeper = _time.CreateTimer(_ => Sweep(), null, sweep, sweep);
    }

    /// <summary>The longest a remote may stay silent while a call waits on it before it is marked down.</summary>
    public TimeSpan AnswerTimeout { get; }

    /// <summary>How long a call waits in silence before the remote is probed.</summary>
    public TimeSpan StallAfter { get; }

    /// <summary>How long a probe may take before the remote counts as down.</summary>
    public TimeSpan ProbeTimeout { get; }

    /// <summary>
    /// How long a probe may take while the remote is busy with our data: a write whose body it took is in flight, and it
    /// answered a call or a probe within this long. A remote that freezes in the middle of an upload is found down up to
    /// twice this much later than an idle one.
    /// </summary>
    public TimeSpan BusyProbeTimeout { get; }

    /// <summary>Starts tracking a wait on <paramref name="remote"/>: a call now, or a stream that marks its reads.</summary>
    public RemoteWait Begin(string remote, bool waiting = true)
    {
        var activity = Activity(remote);
        var wait = new RemoteWait(this, activity, waiting ? _time.GetTimestamp() : 0);
        activity.Waits.TryAdd(wait, 0);
        return wait;
    }

    /// <summary>The remote answered a call: a sign of life, and proof that it was reachable then.</summary>
    public void Answered(string remote)
    {
        var activity = Activity(remote);
        var now = _time.GetTimestamp();
        activity.LastSign = now;
        activity.LastAnswer = now;
    }

    /// <summary>A write's body was taken on its way to the remote: a sign of life.</summary>
    public void TookBody(string remote) => Activity(remote).LastSign = _time.GetTimestamp();

    /// <summary>
    /// A write whose body the remote has started to take is in flight until the result is disposed: the remote is busy
    /// with our data (what it took may still sit in buffers on the way, ahead of any probe).
    /// </summary>
    internal IDisposable BodyInFlight(string remote) => new InFlightBody(Activity(remote));

    /// <summary>
    /// Asks whether <paramref name="remote"/> answers; trips its circuit when it does not. Concurrent askers share one
    /// probe. True when it answered, or when the question was cancelled (nothing is concluded then).
    /// </summary>
    public Task<bool> IsAliveAsync(string remote, CancellationToken cancellationToken)
    {
        var activity = Activity(remote);
        if (activity.IsLocalDirectory)
        {
            return Task.FromResult(true);
        }

        Task<bool> probe;
        lock (activity)
        {
            probe = activity.Probe ??= ProbeAsync(remote, activity);
        }

        return probe.WaitAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _sweeper.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
        return ValueTask.CompletedTask;
    }

    internal long Now => _time.GetTimestamp();

    private RemoteActivity Activity(string remote) => _remotes.GetOrAdd(remote, r => new RemoteActivity(LocalDirectoryAsync(r)));

    /// <summary>
    /// Whether rclone reports the remote as a local directory: a disk does not drop connections, and on a machine
    /// starved of CPU a late probe must not take a disk for a dead remote. Such remotes are not probed.
    /// </summary>
    private async Task<bool> LocalDirectoryAsync(string remote)
    {
        await Task.Yield();
        try
        {
            return await _transport.LocalDirectoryAsync(remote, _disposed.Token) is not null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    private async Task<bool> ProbeAsync(string remote, RemoteActivity activity)
    {
        await Task.Yield();
        try
        {
            var failure = await AskAsync(remote, IsBusy(activity) ? BusyProbeTimeout : ProbeTimeout);
            if (failure is null)
            {
                var now = _time.GetTimestamp();
                activity.LastSign = now;
                activity.LastAnswer = now;
                return true;
            }

            if (!_disposed.IsCancellationRequested)
            {
                _breaker.Trip(remote, failure);
            }

            return _disposed.IsCancellationRequested;
        }
        finally
        {
            lock (activity)
            {
                activity.Probe = null;
            }
        }
    }

    /// <summary>Whether a write whose body the remote took is in flight, and it answered within <see cref="BusyProbeTimeout"/>.</summary>
    private bool IsBusy(RemoteActivity activity) =>
        activity.BodiesInFlight > 0 && activity.LastAnswer != 0 && _time.GetElapsedTime(activity.LastAnswer) <= BusyProbeTimeout;

    /// <summary>One stat through the transport; null when the remote answered, else why it counts as down.</summary>
    private async Task<PoolException?> AskAsync(string remote, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _disposed.Token);
        try
        {
            await _transport.StatAsync(new RemotePath(remote, ProbeObject), linked.Token);
            return null;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return null;
        }
        catch (OperationCanceledException)
        {
            return new PoolException(PoolErrorKind.Transient, $"{remote} did not answer a probe within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (RemoteCircuitBreaker.IsTransient(e) && !ServerAnswered(e))
        {
            return e as PoolException ?? new PoolException(PoolErrorKind.Transient, $"{remote} could not be reached: {e.Message}", e);
        }
        catch (Exception e) when (e is PoolException)
        {
            // Any other answer (permission, a rate limit, a server error) comes from a remote that is there.
            _logger.LogDebug("The probe of {Remote} was answered with an error: {Error}", remote, e.Message);
            return null;
        }
    }

    /// <summary>Transient failures that a reachable server sent (it is there, only busy or limiting).</summary>
    private static bool ServerAnswered(Exception e)
    {
        string[] answers = ["too many requests", "rate limit", "ratelimit", "slow down", "slowdown", "internal server error", "service unavailable", "http 429", "http 500", "http 503"];
        return answers.Any(a => e.Message.Contains(a, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Probes every remote that has a call waiting in silence longer than <see cref="StallAfter"/>.</summary>
    private void Sweep()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        var now = _time.GetTimestamp();
        foreach (var (remote, activity) in _remotes)
        {
            if (activity.Probe is not null || activity.IsLocalDirectory || _breaker.IsOpen(remote))
            {
                continue;
            }

            var lastSign = activity.LastSign;
            foreach (var wait in activity.Waits.Keys)
            {
                var since = wait.WaitingSince;
                if (since != 0 && _time.GetElapsedTime(Math.Max(since, lastSign), now) >= StallAfter)
                {
                    _logger.LogDebug("A call to {Remote} has waited {Seconds:0.0} s without a sign of life; probing it.", remote, _time.GetElapsedTime(since, now).TotalSeconds);
                    _ = IsAliveAsync(remote, CancellationToken.None);
                    break;
                }
            }
        }
    }

    internal void End(RemoteActivity activity, RemoteWait wait) => activity.Waits.TryRemove(wait, out _);

    internal sealed class RemoteActivity(Task<bool> localDirectory)
    {
        private long _lastSign;
        private long _lastAnswer;
        private int _bodiesInFlight;

        /// <summary>True once rclone said the remote is a local directory (not watched).</summary>
        public bool IsLocalDirectory => localDirectory is { IsCompletedSuccessfully: true, Result: true };

        public ConcurrentDictionary<RemoteWait, byte> Waits { get; } = new();

        public long LastSign
        {
            get => Volatile.Read(ref _lastSign);
            set => Volatile.Write(ref _lastSign, value);
        }

        /// <summary>When a call to the remote last completed (0: never).</summary>
        public long LastAnswer
        {
            get => Volatile.Read(ref _lastAnswer);
            set => Volatile.Write(ref _lastAnswer, value);
        }

        /// <summary>Writes in flight whose body the remote has started to take.</summary>
        public int BodiesInFlight => Volatile.Read(ref _bodiesInFlight);

        public void BodyStarted() => Interlocked.Increment(ref _bodiesInFlight);

        public void BodyEnded() => Interlocked.Decrement(ref _bodiesInFlight);

        public Task<bool>? Probe { get; set; }
    }

    private sealed class InFlightBody : IDisposable
    {
        private RemoteActivity? _activity;

        public InFlightBody(RemoteActivity activity)
        {
            _activity = activity;
            activity.BodyStarted();
        }

        public void Dispose() => Interlocked.Exchange(ref _activity, null)?.BodyEnded();
    }
}
