using Microsoft.Win32.SafeHandles;

namespace RclonePool.Core.Remotes.Local;

/// <summary>
/// A byte range of a local file read with positional reads, owning its handle. Like the transports' read streams it
/// stops with <see cref="OperationCanceledException"/> once the token it was opened with is cancelled.
/// </summary>
internal sealed class LocalFileReadStream(SafeFileHandle handle, long start, long length, CancellationToken opened) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        opened.ThrowIfCancellationRequested();
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

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        opened.ThrowIfCancellationRequested();
        cancellationToken.ThrowIfCancellationRequested();
        var want = (int)Math.Min(buffer.Length, length - _position);
        if (want <= 0)
        {
            return 0;
        }

        var read = await RandomAccess.ReadAsync(handle, buffer[..want], start + _position, cancellationToken);
        _position += read;
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            handle.Dispose();
        }

        base.Dispose(disposing);
    }
}
