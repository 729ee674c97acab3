using RclonePool.Core.IO;

namespace RclonePool.Core.Resilience;

/// <summary>
/// The body of a write as the <see cref="RemoteWatchdog"/> sees it: each read the transport makes to send it on is a
/// sign of life of the remote (rclone takes bytes only as fast as the remote accepts them, beyond its buffers), so a
/// long upload to a slow but living remote is not probed, while one that stops taking bytes is. Passes everything else
/// through, seeking included (a retried write starts again from the beginning). From its first byte taken until it is
/// disposed, the remote counts as busy with our data (<see cref="RemoteWatchdog.BodyInFlight"/>). Disposing it leaves
/// the inner stream to its owner.
/// </summary>
internal sealed class WatchedWriteContent(Stream inner, string remote, RemoteWatchdog watchdog) : Stream, IBlockLender
{
    private IDisposable? _inFlight;

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Took();
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Took();
        return read;
    }

    public bool CanLend => inner is IBlockLender { CanLend: true };

    public async ValueTask<ReadOnlyMemory<byte>> BorrowNextAsync(CancellationToken cancellationToken)
    {
        var block = await ((IBlockLender)inner).BorrowNextAsync(cancellationToken);
        Took();
        return block;
    }

    private void Took()
    {
        watchdog.TookBody(remote);
        _inFlight ??= watchdog.BodyInFlight(remote);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inFlight?.Dispose();
        }

        base.Dispose(disposing);
    }

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
