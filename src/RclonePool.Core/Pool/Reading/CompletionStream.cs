using RclonePool.Core.Events;
using RclonePool.Core.IO;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// A read-only stream that passes reads through, counts them into <c>traffic</c>, reports the bytes read so far to
/// <c>progress</c> (when given), and calls <c>completed</c> (when given) once, when <c>length</c> bytes have been
/// read: a download that reached its end, as opposed to one abandoned part-way.
/// </summary>
internal sealed class CompletionStream(Stream inner, long length, Action? completed, PoolTraffic traffic, IProgress<long>? progress = null) : ReadOnlyStream, IFileRegionSource
{
    public FileRegion? LastRegion => (inner as IFileRegionSource)?.LastRegion;

    private long _read;
    private int _done;

    protected override long BytesHandedOut => _read;

    public override bool CanRead => inner.CanRead;

    public override long Length => length;

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        _read += read;
        traffic.AddDownloaded(read);
        if (read > 0)
        {
            progress?.Report(_read);
        }

        if (_read >= length && completed is not null && Interlocked.Exchange(ref _done, 1) == 0)
        {
            completed();
        }

        return read;
    }
}
