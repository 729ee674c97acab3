using System.Collections.Concurrent;
using Polly.CircuitBreaker;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Resilience;

/// <summary>
/// One circuit per remote, shared by every operation of the process (a server, or one command over many files): after
/// <see cref="Threshold"/> transient failures in a row, or at once when the <see cref="RemoteWatchdog"/> finds the remote
/// down, calls to that remote fail at once for <see cref="CoolDown"/> instead of waiting out timeouts and retries again,
/// so uploads place on the other remotes immediately. Opening a circuit also cancels the calls still waiting on that
/// remote (<see cref="DownToken"/>). After the cool-down, calls go through again; one more failure opens the circuit
/// again, a success closes it. Any answer from the remote (success, not found, permission, no space) counts as alive.
/// </summary>
/// <remarks>
/// Polly's circuit breaker opens on a failure ratio within a sampling window: a success earlier in the window keeps it
/// closed, and a remote that hangs fails once per timeout, too slowly to fill a window. "N failures in a row, whenever
/// they happen" is what tells a dead remote, so the count is kept here; the rejection carries Polly's
/// <see cref="BrokenCircuitException"/>, which the retry pipelines do not retry.
/// </remarks>
public sealed class RemoteCircuitBreaker(int threshold, TimeSpan coolDown, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Circuit> _circuits = new(StringComparer.Ordinal);

    /// <summary>Transient failures in a row that open a remote's circuit.</summary>
    public int Threshold { get; } = Math.Max(1, threshold);

    /// <summary>How long an open circuit rejects calls.</summary>
    public TimeSpan CoolDown { get; } = coolDown;

    /// <summary>
    /// Raised (with the remote's storage name, the failure, and whether the watchdog found it down rather than
    /// <see cref="Threshold"/> failures in a row) when a circuit opens.
    /// </summary>
    public event Action<string, PoolException, bool>? Opened;

    /// <summary>True while the remote's circuit is open (its calls are rejected).</summary>
    public bool IsOpen(string remote)
    {
        if (!_circuits.TryGetValue(remote, out var circuit))
        {
            return false;
        }

        lock (circuit)
        {
            return circuit.OpenUntil is { } until && _time.GetUtcNow() < until;
        }
    }

    /// <summary>
    /// Throws a transient <see cref="PoolException"/> (not to be retried) when the remote's circuit is open. Returns true
    /// when this call is the first after a cool-down (the trial that decides whether the remote is back).
    /// </summary>
    public bool ThrowIfOpen(string remote)
    {
        if (!_circuits.TryGetValue(remote, out var circuit))
        {
            return false;
        }

        lock (circuit)
        {
            if (circuit.OpenUntil is not { } until)
            {
                return false;
            }

            var now = _time.GetUtcNow();
            if (now >= until)
            {
                // Half-open: calls go through again; the next failure opens the circuit at once.
                circuit.OpenUntil = null;
                circuit.Failures = Threshold - 1;
                circuit.Down = new CancellationTokenSource();
                return true;
            }

            throw Rejection(remote, circuit, until - now);
        }
    }

    /// <summary>
    /// A token cancelled when the remote's circuit opens: calls waiting on the remote link it, so a remote found down
    /// stops holding them. Already cancelled while the circuit is open.
    /// </summary>
    public CancellationToken DownToken(string remote) => _circuits.GetOrAdd(remote, _ => new Circuit()).Down.Token;

    /// <summary>The rejection a call gets when the remote went down while it waited (not retried).</summary>
    public PoolException RejectionFor(string remote)
    {
        var circuit = _circuits.GetOrAdd(remote, _ => new Circuit());
        lock (circuit)
        {
            var left = circuit.OpenUntil is { } until ? until - _time.GetUtcNow() : TimeSpan.Zero;
            return Rejection(remote, circuit, left > TimeSpan.Zero ? left : CoolDown);
        }
    }

    /// <summary>The remote answered: its circuit closes.</summary>
    public void OnAnswer(string remote)
    {
        if (_circuits.TryGetValue(remote, out var circuit))
        {
            lock (circuit)
            {
                if (circuit.Failures == 0 && circuit.OpenUntil is null)
                {
                    return;
                }

                circuit.Failures = 0;
                if (circuit.OpenUntil is not null)
                {
                    circuit.OpenUntil = null;
                    circuit.Down = new CancellationTokenSource();
                }
            }
        }
    }

    /// <summary>Records a failure; a transient one counts towards opening the remote's circuit, any other is an answer.</summary>
    public void OnFailure(string remote, Exception failure)
    {
        if (IsRejection(failure) || failure is OperationCanceledException)
        {
            return;
        }

        if (!IsTransient(failure))
        {
            OnAnswer(remote);
            return;
        }

        var circuit = _circuits.GetOrAdd(remote, _ => new Circuit());
        bool opened;
        lock (circuit)
        {
            circuit.LastFailure = failure;
            opened = ++circuit.Failures >= Threshold && Open(circuit);
            if (opened)
            {
                circuit.FoundDown = false;
            }
        }

        if (opened)
        {
            Announce(remote, circuit, failure, foundDown: false);
        }
    }

    /// <summary>
    /// Opens the remote's circuit now (the watchdog found it down: it did not answer a probe) and cancels the calls
    /// waiting on it. Nothing happens when it is already open.
    /// </summary>
    public void Trip(string remote, PoolException reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var circuit = _circuits.GetOrAdd(remote, _ => new Circuit());
        bool opened;
        lock (circuit)
        {
            circuit.LastFailure = reason;
            opened = Open(circuit);
            if (opened)
            {
                circuit.FoundDown = true;
            }
        }

        if (opened)
        {
            Announce(remote, circuit, reason, foundDown: true);
        }
    }

    /// <summary>True for the failure an open circuit raises (never worth a retry).</summary>
    public static bool IsRejection(Exception e) => e is PoolException { InnerException: BrokenCircuitException };

    /// <summary>Failures that say the remote may not be there: transient pool failures and raw connection failures.</summary>
    public static bool IsTransient(Exception e) => e is PoolException { IsTransient: true } or HttpRequestException or IOException;

    private bool Open(Circuit circuit)
    {
        if (circuit.OpenUntil is { } until && _time.GetUtcNow() < until)
        {
            return false;
        }

        circuit.OpenUntil = _time.GetUtcNow() + CoolDown;
        return true;
    }

    private void Announce(string remote, Circuit circuit, Exception failure, bool foundDown)
    {
        Opened?.Invoke(remote, failure as PoolException ?? new PoolException(PoolErrorKind.Transient, failure.Message, failure), foundDown);

        // After the event, so the log line that says why comes before the failures of the calls it stops.
        CancellationTokenSource down;
        lock (circuit)
        {
            down = circuit.Down;
        }

        down.Cancel();
    }

    private PoolException Rejection(string remote, Circuit circuit, TimeSpan left)
    {
        var message = $"{remote} is skipped for {Math.Ceiling(left.TotalSeconds):0} s more: " +
            $"{(circuit.FoundDown ? "it does not answer" : $"it failed {Threshold} times in a row")} " +
            $"(last: {circuit.LastFailure?.Message.TrimEnd('.') ?? "no answer"}). The operation can be retried when the remote is back.";
        return new PoolException(PoolErrorKind.Transient, message, new BrokenCircuitException(message, left, circuit.LastFailure ?? new TimeoutException(message)));
    }

    private sealed class Circuit
    {
        public int Failures { get; set; }

        public DateTimeOffset? OpenUntil { get; set; }

        public Exception? LastFailure { get; set; }

        /// <summary>The watchdog found the remote down (rather than <see cref="Threshold"/> failures in a row).</summary>
        public bool FoundDown { get; set; }

        public CancellationTokenSource Down { get; set; } = new();
    }
}
