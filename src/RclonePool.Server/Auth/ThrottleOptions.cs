namespace RclonePool.Server.Auth;

/// <summary>How repeated authentication failures from one client address are slowed, then refused.</summary>
public sealed record ThrottleOptions
{
    /// <summary>Failures answered at once; each further one waits before its 401.</summary>
    public int FailuresBeforeSlowing { get; init; } = 5;

    /// <summary>Failures after which the address gets 429 for <see cref="LockoutDuration"/>, without any check.</summary>
    public int FailuresBeforeRefusing { get; init; } = 10;

    /// <summary>The wait added to the first slowed failure; it doubles with each further one, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan LockoutDuration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A client quiet (no failure) for this long starts again from zero.</summary>
    public TimeSpan ForgetAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Most addresses tracked at once; beyond it, new addresses are not slowed (memory stays bounded).</summary>
    public int MaxTrackedClients { get; init; } = 100_000;
}
