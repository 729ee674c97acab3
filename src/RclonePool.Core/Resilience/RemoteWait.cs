namespace RclonePool.Core.Resilience;

/// <summary>
/// One call or stream waiting on a remote, as the <see cref="RemoteWatchdog"/> sees it: since when it has waited (0
/// while a stream is between reads). Disposing it ends the tracking.
/// </summary>
public sealed class RemoteWait : IDisposable
{
    private readonly RemoteWatchdog _watchdog;
    private readonly RemoteWatchdog.RemoteActivity _activity;
    private long _waitingSince;

    internal RemoteWait(RemoteWatchdog watchdog, RemoteWatchdog.RemoteActivity activity, long waitingSince)
    {
        _watchdog = watchdog;
        _activity = activity;
        _waitingSince = waitingSince;
    }

    /// <summary>The timestamp (of the watchdog's time provider) since which it waits; 0 when it does not.</summary>
    public long WaitingSince => Volatile.Read(ref _waitingSince);

    /// <summary>A stream read starts waiting.</summary>
    public void Waiting() => Volatile.Write(ref _waitingSince, _watchdog.Now);

    /// <summary>A stream read got its bytes: the remote is alive, and the stream waits no more.</summary>
    public void Answered()
    {
        var now = _watchdog.Now;
        _activity.LastSign = now;
        Volatile.Write(ref _waitingSince, 0);
    }

    /// <summary>A stream read ended without bytes (failed or cancelled).</summary>
    public void Idle() => Volatile.Write(ref _waitingSince, 0);

    public void Dispose() => _watchdog.End(_activity, this);
}
