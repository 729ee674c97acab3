using RclonePool.Core.Paths;

namespace RclonePool.Core.Quotas;

/// <summary>
/// The room one upload holds in a <see cref="QuotaLedger"/>, from before its first byte is stored until it ends:
/// <see cref="Complete"/> when the file is durable, then dispose. Disposed without completing (a failure, a refusal), it
/// gives everything back.
/// </summary>
public sealed class QuotaReservation : IAsyncDisposable
{
    private readonly QuotaLedger _ledger;
    private long _received;
    private bool _stored;
    private int _released;

    internal QuotaReservation(QuotaLedger ledger, PoolPath path, long replacedBytes)
    {
        _ledger = ledger;
        Path = path;
        ReplacedBytes = replacedBytes;
    }

    public PoolPath Path { get; }

    /// <summary>Bytes of the file the upload replaces (freed once the new one is durable).</summary>
    public long ReplacedBytes { get; }

    /// <summary>Bytes held against the quota now.</summary>
    public long HeldBytes { get; private set; }

    /// <summary>Files held against the quota now (1 for a new file, 0 for a replacement).</summary>
    public long HeldFiles { get; private set; }

    /// <summary>The size of the stored file, once <see cref="Complete"/> said it.</summary>
    internal long StoredBytes { get; private set; }

    /// <summary>
    /// The upload's content as the pool should read it: as it is when its length is known (all of it was reserved), or
    /// (<paramref name="length"/> -1) through a stream that reserves each buffer before handing it on and fails with
    /// NoSpace at the first byte past the quota, so the upload is abandoned and nothing of it kept.
    /// </summary>
    public Stream Watch(Stream content, long length) => length >= 0 ? content : new QuotaStream(content, this);

    /// <summary>The upload stored a file of <paramref name="size"/> bytes: it counts as stored from now on.</summary>
    public void Complete(long size)
    {
        StoredBytes = size;
        _stored = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _ledger.ReleaseAsync(this, _stored);
        }
    }

    internal ValueTask ReceiveAsync(int count, CancellationToken cancellationToken) =>
        count <= 0 ? ValueTask.CompletedTask : _ledger.GrowAsync(this, count, cancellationToken);

    internal void Hold(long bytes, long files, long received)
    {
        HeldBytes = bytes;
        HeldFiles = files;
        _received = received;
    }

    /// <summary>Bytes more to hold when <paramref name="more"/> arrive: what passes the replaced file's size, not held yet.</summary>
    internal long BytesNeededFor(long more) => Math.Max(0, _received + more - ReplacedBytes) - HeldBytes;

    internal void Grow(long more, long held)
    {
        _received += more;
        HeldBytes += held;
    }
}
