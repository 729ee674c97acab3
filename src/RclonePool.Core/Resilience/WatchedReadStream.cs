using RclonePool.Core.IO;

namespace RclonePool.Core.Resilience;

/// <summary>
/// A remote's read stream as the <see cref="RemoteWatchdog"/> sees it: each read waits on the remote (a read that gets
/// no bytes for too long has the remote probed), bytes that arrive are a sign of life, and a remote found down ends the
/// read at once with the circuit's rejection instead of leaving it to rclone's idle timeout.
/// </summary>
internal sealed class WatchedReadStream(Stream inner, string remote, RemoteWatchdog watchdog, RemoteCircuitBreaker breaker) : ReadOnlyStream
{
    private readonly RemoteWait _wait = watchdog.Begin(remote, waiting: false);
    private long _handedOut;

    protected override long BytesHandedOut => _handedOut;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var down = breaker.DownToken(remote);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, down);
        _wait.Waiting();
        try
        {
            var read = await inner.ReadAsync(buffer, linked.Token);
            _wait.Answered();
            _handedOut += read;
            return read;
        }
        catch (Exception) when (down.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            _wait.Idle();
            throw breaker.RejectionFor(remote);
        }
        catch
        {
            _wait.Idle();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _wait.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _wait.Dispose();
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
