using System.Net;
using RclonePool.Server.Auth;

namespace RclonePool.Tests.Unit.Auth;

public sealed class FailureThrottleTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Neighbour = IPAddress.Parse("203.0.113.8");

    [Fact]
    public void Failures_pass_then_are_slowed_doubling_then_the_address_is_locked_out()
    {
        var clock = new SteppedClock();
        var throttle = new FailureThrottle(new ThrottleOptions(), clock);

        var outcomes = Enumerable.Range(0, 10).Select(_ => throttle.RecordFailure(Attacker)).ToList();

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], outcomes.Select(o => o.Failures));
        Assert.Equal(
            [0, 0, 0, 0, 0, 250, 500, 1000, 2000, 0],
            outcomes.Select(o => (int)o.Delay.TotalMilliseconds));
        Assert.All(outcomes.Take(9), o => Assert.Null(o.LockedUntil));
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(1), outcomes[9].LockedUntil);
        Assert.NotNull(throttle.LockedUntil(Attacker));
        Assert.Null(throttle.LockedUntil(Neighbour));
    }

    [Fact]
    public void A_lockout_ends_after_its_duration_and_a_quiet_client_starts_from_zero()
    {
        var clock = new SteppedClock();
        var throttle = new FailureThrottle(new ThrottleOptions(), clock);
        for (var i = 0; i < 10; i++)
        {
            throttle.RecordFailure(Attacker);
        }

        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(throttle.LockedUntil(Attacker));
        Assert.Equal(1, throttle.RecordFailure(Attacker).Failures);

        for (var i = 0; i < 3; i++)
        {
            throttle.RecordFailure(Attacker);
        }

        clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(1, throttle.RecordFailure(Attacker).Failures);
    }

    [Fact]
    public void Memory_stays_bounded_when_many_addresses_fail()
    {
        var clock = new SteppedClock();
        var throttle = new FailureThrottle(new ThrottleOptions { MaxTrackedClients = 100 }, clock);
        for (var i = 0; i < 1000; i++)
        {
            throttle.RecordFailure(new IPAddress(0x0A000000 + i));
        }

        Assert.True(throttle.TrackedClients <= 100);
    }
}
