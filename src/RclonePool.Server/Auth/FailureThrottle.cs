using System.Collections.Concurrent;
using System.Net;

namespace RclonePool.Server.Auth;

/// <summary>
/// Counts authentication failures per client address: the first <see cref="ThrottleOptions.FailuresBeforeSlowing"/>
/// pass, the next ones are delayed (doubling), and at <see cref="ThrottleOptions.FailuresBeforeRefusing"/> the address
/// is refused outright for <see cref="ThrottleOptions.LockoutDuration"/> (no hash is computed for it meanwhile).
/// Other addresses are not affected.
/// </summary>
internal sealed class FailureThrottle(ThrottleOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<IPAddress, Client> _clients = new();

    /// <summary>Addresses with failures on record.</summary>
    internal int TrackedClients => _clients.Count;

    /// <summary>When the address may try again, if it is locked out now.</summary>
    public DateTimeOffset? LockedUntil(IPAddress address)
    {
        if (!_clients.TryGetValue(address, out var client))
        {
            return null;
        }

        lock (client)
        {
            return client.LockedUntil > time.GetUtcNow() ? client.LockedUntil : null;
        }
    }

    /// <summary>Records a failure and says what to do with it.</summary>
    public FailureOutcome RecordFailure(IPAddress address)
    {
        var now = time.GetUtcNow();
        if (!_clients.TryGetValue(address, out var client))
        {
            if (_clients.Count >= options.MaxTrackedClients)
            {
                Forget(now);
                if (_clients.Count >= options.MaxTrackedClients)
                {
                    return new FailureOutcome(1, TimeSpan.Zero, null);
                }
            }

            client = _clients.GetOrAdd(address, _ => new Client());
        }

        lock (client)
        {
            if (now - client.LastFailure > options.ForgetAfter && client.LockedUntil <= now)
            {
                client.Failures = 0;
            }

            client.Failures++;
            client.LastFailure = now;
            if (client.Failures >= options.FailuresBeforeRefusing)
            {
                client.LockedUntil = now + options.LockoutDuration;
                client.Failures = 0; // after the lockout, the count starts again (and locks again as fast)
                return new FailureOutcome(options.FailuresBeforeRefusing, TimeSpan.Zero, client.LockedUntil);
            }

            var slowed = client.Failures - options.FailuresBeforeSlowing;
            var delay = slowed <= 0 ? TimeSpan.Zero
                : TimeSpan.FromTicks(Math.Min(options.MaxDelay.Ticks, options.FirstDelay.Ticks << Math.Min(slowed - 1, 20)));
            return new FailureOutcome(client.Failures, delay, null);
        }
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var (address, client) in _clients)
        {
            lock (client)
            {
                if (client.LockedUntil <= now && now - client.LastFailure > options.ForgetAfter)
                {
                    _clients.TryRemove(address, out _);
                }
            }
        }
    }

    private sealed class Client
    {
        public int Failures;
        public DateTimeOffset LastFailure;
        public DateTimeOffset LockedUntil;
    }
}
