using RclonePool.Core.IO;

namespace RclonePool.Core.Quotas;

/// <summary>
/// Reads an upload of unknown length through its <see cref="QuotaReservation"/>: every buffer is reserved before the
/// pool sees it, and the first one that does not fit fails the read with NoSpace. Read-only, forward-only; the upload's
/// stream stays its owner's.
/// </summary>
internal sealed class QuotaStream(Stream inner, QuotaReservation reservation) : ReadOnlyStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        await reservation.ReceiveAsync(read, cancellationToken);
        return read;
    }
}
