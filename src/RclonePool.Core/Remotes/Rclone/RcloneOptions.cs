using RclonePool.Core.Config;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>
/// How rclonepool runs rclone: the binary, the user's extra flags and environment, and the daemon's limits.
/// <see cref="FromConfig"/> maps the pool configuration keys (<c>rclone_binary</c>, <c>rclone_flags</c>,
/// <c>rclone_daemon_port</c>); the rest are tuning knobs with safe defaults.
/// </summary>
public sealed class RcloneOptions
{
    /// <summary>The rclone executable: a name searched on PATH, or a path (<c>rclone_binary</c>).</summary>
    public string Binary { get; init; } = "rclone";

    /// <summary>The user's global flags (<c>rclone_flags</c>); they come first, rclonepool's own flags after them.</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];

    /// <summary>The daemon's port on 127.0.0.1 (<c>rclone_daemon_port</c>); 0 takes a free port from the OS.</summary>
    public int DaemonPort { get; init; }

    /// <summary>
    /// Variables set (or, with a null value, removed) in rclone's environment on top of ours, which rclone
    /// inherits (so <c>RCLONE_CONFIG</c> and the other <c>RCLONE_*</c> variables are honoured).
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>How long the daemon may take to start listening before start-up fails.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Upper bound for one metadata call (list, stat, about, delete, move) and for a read's first answer; exceeding
    /// it is a transient failure. Transfers themselves (read bodies, writes) are bounded by the caller's token only.
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a running daemon is pinged (<c>rc/noop</c>); a daemon that stops answering is replaced. Zero: never.</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a ping (<c>rc/noop</c>) may take before the daemon counts as not answering.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Stop rclone children when this process gets SIGTERM, SIGINT, SIGQUIT or SIGHUP (they die with it anyway).</summary>
    public bool StopOnTerminationSignals { get; init; } = true;

    /// <summary>Clock for timeouts and health checks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Test hook: called with the pid of every rclone process started with these options.</summary>
    internal Action<int>? ProcessStarted { get; init; }

    /// <summary>The options the pool configuration asks for.</summary>
    public static RcloneOptions FromConfig(PoolConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new RcloneOptions
        {
            Binary = config.RcloneBinary,
            Flags = [.. config.RcloneFlags],
            DaemonPort = config.RcloneDaemonPort,
        };
    }
}
