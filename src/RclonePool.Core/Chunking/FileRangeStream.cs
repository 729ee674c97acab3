using Microsoft.Win32.SafeHandles;

namespace RclonePool.Core.Chunking;

/// <summary>
/// A read-only view of <c>length</c> bytes of an open file from <c>start</c>, using positional reads, so
/// several chunks of one file can be read concurrently through one handle without copying. A stream that
/// <paramref name="ownsHandle"/> closes the handle when disposed; reads stop with <see cref="OperationCanceledException"/>
/// once <paramref name="stopWith"/> is cancelled (the token a remote read was opened with).
/// </summary>
public sealed class FileRangeStream(SafeFileHandle handle, long start, long length, bool ownsHandle = false, CancellationToken stopWith = default) : Stream
{
    private long _position;

    /// <summary>The open file (a caller that checked a range of it may send the same range with <c>sendfile</c>).</summary>
    public SafeFileHandle Handle => handle;

    /// <summary>Where in the file this view starts.</summary>
    public long Start => start;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        stopWith.ThrowIfCancellationRequested();
        var want = (int)Math.Min(buffer.Length, length - _position);
        if (want <= 0)
        {
            return 0;
        }

        var read = RandomAccess.Read(handle, buffer[..want], start + _position);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Reads in place, on the calling thread. The handle is not opened for asynchronous I/O, so an asynchronous read
    /// would run the same blocking <c>pread</c> on another thread-pool thread and hop back: one thread switch per
    /// block served from a local remote (a fifth of the server's CPU per GET in <c>perf</c>, docs/benchmarks.md).
    /// </summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        try
        {
            return ValueTask.FromResult(Read(buffer.Span));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<int>(e);
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsHandle)
        {
            handle.Dispose();
        }

        base.Dispose(disposing);
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
