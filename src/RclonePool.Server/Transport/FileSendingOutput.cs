using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RclonePool.Core.IO;

namespace RclonePool.Server.Transport;

/// <summary>
/// The output Kestrel writes a plain HTTP/1.x connection's responses into (<see cref="SendFileConnections"/>): a pipe
/// read by the connection's <see cref="SocketFileSender"/>, counting every byte advanced into it, so that a handler
/// can name the bytes it just advanced as a file range (<see cref="IFileRegionSink"/>). Kestrel frames the response as
/// always (status line, headers, Content-Length counted over the body it was given, keep-alive): only how the bytes
/// reach the socket changes.
/// </summary>
internal sealed class FileSendingOutput(PipeWriter inner, FileRegionQueue regions, SenderScheduler scheduler) : PipeWriter, IFileRegionSink
{
    private long _written;
    private Memory<byte> _lent;
    private Memory<byte> _lastAdvanced;
    private long _lastPosition;

    /// <summary>Bytes advanced into the output so far (its position).</summary>
    public long Written => _written;

    public bool TrySendFromFile(ReadOnlyMemory<byte> written, FileRegion region)
    {
        var last = _lastAdvanced;
        if (written.IsEmpty || written.Length != last.Length || region.Length != written.Length
            || !Unsafe.AreSame(ref MemoryMarshal.GetReference(written.Span), ref MemoryMarshal.GetReference((ReadOnlySpan<byte>)last.Span)))
        {
            return false;
        }

        _lastAdvanced = default;
        return regions.Add(_lastPosition, region);
    }

    public IDisposable StreamFromFiles() => scheduler.Stream();

    public override Memory<byte> GetMemory(int sizeHint = 0) => _lent = inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => (_lent = inner.GetMemory(sizeHint)).Span;

    public override void Advance(int bytes)
    {
        inner.Advance(bytes);
        _lastAdvanced = bytes > 0 && bytes <= _lent.Length ? _lent[..bytes] : default;
        _lent = default;
        _lastPosition = _written;
        _written += bytes;
    }

    /// <summary>A flush ends what <see cref="TrySendFromFile"/> may name: only bytes advanced since the last flush can be.</summary>
    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        _lastAdvanced = default;
        return inner.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes;
}
