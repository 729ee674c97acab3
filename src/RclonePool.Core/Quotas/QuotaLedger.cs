using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Paths;

namespace RclonePool.Core.Quotas;

/// <summary>
/// The quota accounting of one pool, which is checked before any byte is stored. What counts is what the index holds
/// (read at every new reservation: the index keeps running totals, so this costs the same however many files there
/// are), plus what uploads in flight have reserved, plus what uploads that finished since that read added. A reservation
/// is made up front for a known length and grows as the bytes arrive for an unknown one; it never takes the total past a
/// limit, so concurrent uploads racing for the last free bytes store at most the quota between them. Counting errs only
/// on the safe side (an upload finishing while the index is read may be counted twice until the next reservation).
/// Thread-safe. Within one process; several processes writing one pool each keep their own ledger.
/// </summary>
public sealed class QuotaLedger : IDisposable
{
    private readonly Func<CancellationToken, ValueTask<(long Bytes, long Files)>> _readIndex;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private long _indexBytes;
    private long _indexFiles;
    private long _settledBytes;
    private long _settledFiles;
    private long _reservedBytes;
    private long _reservedFiles;

    /// <param name="limits">The quota.</param>
    /// <param name="readIndex">What the index holds now: logical bytes and files.</param>
    public QuotaLedger(QuotaLimits limits, Func<CancellationToken, ValueTask<(long Bytes, long Files)>> readIndex)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(readIndex);
        Limits = limits;
        _readIndex = readIndex;
    }

    public QuotaLimits Limits { get; }

    /// <summary>What the pool holds now, read from the index, and what uploads in flight hold.</summary>
    public async Task<QuotaUsage> UsageAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await RefreshAsync(cancellationToken);
            return new QuotaUsage(_indexBytes, _indexFiles, _reservedBytes, _reservedFiles, Limits);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Reserves room for storing <paramref name="path"/>: <paramref name="length"/> bytes (-1: unknown, reserved as they
    /// arrive through <see cref="QuotaReservation.Watch"/>), one file unless it replaces one, minus what the file it
    /// replaces (<paramref name="replacedBytes"/>) frees once it is durable. NoSpace when that would pass a limit.
    /// </summary>
    public async Task<QuotaReservation> ReserveAsync(PoolPath path, long length, long files, long replacedBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(files);
        ArgumentOutOfRangeException.ThrowIfNegative(replacedBytes);
        var reservation = new QuotaReservation(this, path, replacedBytes);
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await RefreshAsync(cancellationToken);
            var bytes = Math.Max(0, length - replacedBytes);
            Check(path, bytes, files);
            _reservedBytes += bytes;
            _reservedFiles += files;
            reservation.Hold(bytes, files, Math.Max(0, length));
            return reservation;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Grows a reservation by <paramref name="more"/> bytes; NoSpace when that would pass the byte limit.</summary>
    internal async ValueTask GrowAsync(QuotaReservation reservation, long more, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var need = reservation.BytesNeededFor(more);
            Check(reservation.Path, need, 0);
            _reservedBytes += need;
            reservation.Grow(more, need);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Ends a reservation: on success its growth counts as stored until the next read of the index.</summary>
    internal async ValueTask ReleaseAsync(QuotaReservation reservation, bool stored)
    {
        await _lock.WaitAsync();
        try
        {
            _reservedBytes -= reservation.HeldBytes;
            _reservedFiles -= reservation.HeldFiles;
            if (stored)
            {
                // A replacement that shrank frees bytes only once the index says so (never counted twice the other way).
                _settledBytes += Math.Max(0, reservation.StoredBytes - reservation.ReplacedBytes);
                _settledFiles += reservation.HeldFiles;
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        (_indexBytes, _indexFiles) = await _readIndex(cancellationToken);
        _settledBytes = 0;
        _settledFiles = 0;
    }

    private void Check(PoolPath path, long bytes, long files)
    {
        var usedBytes = _indexBytes + _settledBytes + _reservedBytes;
        var usedFiles = _indexFiles + _settledFiles + _reservedFiles;
        if (Limits.Bytes > 0 && bytes > 0 && usedBytes + bytes > Limits.Bytes)
        {
            var left = Math.Max(0, Limits.Bytes - usedBytes);
            throw new PoolException(PoolErrorKind.NoSpace,
                $"Storing {path} needs {Format(bytes)} more, but the quota of user '{Limits.Owner}' ({Format(Limits.Bytes)}, quota_bytes) has {Format(left)} left; delete files, or raise quota_bytes in the users section. Nothing of {path} was kept.");
        }

        if (Limits.Files > 0 && files > 0 && usedFiles + files > Limits.Files)
        {
            throw new PoolException(PoolErrorKind.NoSpace,
                $"Storing {path} would make {usedFiles + files} files, but the quota of user '{Limits.Owner}' allows {Limits.Files} (quota_files); delete files, or raise quota_files in the users section. Nothing of {path} was kept.");
        }
    }

    private static string Format(long bytes) => bytes < 1024 ? $"{bytes} bytes" : $"{SizeParser.Format(bytes)} ({bytes} bytes)";
}
