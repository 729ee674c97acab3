using System.Collections.Concurrent;
using Polly.CircuitBreaker;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Resilience;

/// <summary>
/// One circuit per remote, shared by every operation of the process (a server, or one command over many files): after
/// <see cref="Threshold"/> transient failures in a row, calls to that remote fail at once for <see cref="CoolDown"/>
/// instead of waiting out timeouts and retries again, so uploads place on the other remotes immediately. After the
/// cool-down, calls go through again; one more failure opens the circuit again, a success closes it. Any answer from
/// the remote (success, not found, permission, no space) counts as alive.
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

    /// <summary>Raised (with the remote's storage name) when a circuit opens.</summary>
    public event Action<string, PoolException>? Opened;

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

    /// <summary>Throws a transient <see cref="PoolException"/> (not to be retried) when the remote's circuit is open.</summary>
    public void ThrowIfOpen(string remote)
    {
        if (!_circuits.TryGetValue(remote, out var circuit))
        {
            return;
        }

        lock (circuit)
        {
            if (circuit.OpenUntil is not { } until)
            {
                return;
            }

            var now = _time.GetUtcNow();
            if (now >= until)
            {
                // Half-open: calls go through again; the next failure opens the circuit at once.
                circuit.OpenUntil = null;
                circuit.Failures = Threshold - 1;
                return;
            }

            var message = $"{remote} is skipped for {Math.Ceiling((until - now).TotalSeconds):0} s more: it failed {Threshold} times in a row " +
                $"(last: {circuit.LastFailure?.Message.TrimEnd('.')}). The operation can be retried when the remote is back.";
            throw new PoolException(PoolErrorKind.Transient, message, new BrokenCircuitException(message, until - now, circuit.LastFailure!));
        }
    }

    /// <summary>The remote answered: its circuit closes.</summary>
    public void OnAnswer(string remote)
    {
        if (_circuits.TryGetValue(remote, out var circuit))
        {
            lock (circuit)
            {
                circuit.Failures = 0;
                circuit.OpenUntil = null;
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

        if (failure is not (PoolException { IsTransient: true } or HttpRequestException or IOException))
        {
            OnAnswer(remote);
            return;
        }

        var circuit = _circuits.GetOrAdd(remote, _ => new Circuit());
        PoolException? opened = null;
        lock (circuit)
        {
            circuit.LastFailure = failure;
            if (++circuit.Failures >= Threshold && circuit.OpenUntil is null)
            {
                circuit.OpenUntil = _time.GetUtcNow() + CoolDown;
                opened = failure as PoolException ?? new PoolException(PoolErrorKind.Transient, failure.Message, failure);
            }
        }

        if (opened is not null)
        {
            Opened?.Invoke(remote, opened);
        }
    }

    /// <summary>True for the failure an open circuit raises (never worth a retry).</summary>
    public static bool IsRejection(Exception e) => e is PoolException { InnerException: BrokenCircuitException };

    private sealed class Circuit
    {
        public int Failures { get; set; }

        public DateTimeOffset? OpenUntil { get; set; }

        public Exception? LastFailure { get; set; }
    }
}
