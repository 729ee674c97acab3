using System.Globalization;
using System.Threading.RateLimiting;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes.Throttling;

/// <summary>
/// A byte rate as a token bucket (<see cref="TokenBucketRateLimiter"/>): one token per byte, refilled every
/// <see cref="Period"/>, holding at most a quarter second of bytes (so a burst after a pause overshoots the rate by at
/// most that much). Callers take bytes in pieces of at most <see cref="MaxPiece"/>, first come first served, so a small
/// transfer waits for its own bytes and the pieces ahead of it, never for a whole large transfer.
/// </summary>
public sealed class BandwidthLimiter : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);
    private readonly TokenBucketRateLimiter _bucket;

    public BandwidthLimiter(double megabitsPerSecond)
    {
        if (!(megabitsPerSecond > 0) || double.IsInfinity(megabitsPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(megabitsPerSecond), "A bandwidth limit is a positive number of megabits per second.");
        }

        MegabitsPerSecond = megabitsPerSecond;
        BytesPerSecond = megabitsPerSecond * 1_000_000 / 8;
        MaxPiece = (int)Math.Clamp(BytesPerSecond / 4, 4096, 16 << 20);
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = MaxPiece,
            TokensPerPeriod = (int)Math.Max(1, Math.Round(BytesPerSecond * Period.TotalSeconds)),
            ReplenishmentPeriod = Period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public double MegabitsPerSecond { get; }

    public double BytesPerSecond { get; }

    /// <summary>Largest piece taken at once; readers ask for no more than this per read.</summary>
    public int MaxPiece { get; }

    /// <summary>Waits until <paramref name="bytes"/> may pass.</summary>
    public async ValueTask AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        while (bytes > 0)
        {
            var piece = (int)Math.Min(bytes, MaxPiece);
            using var lease = await _bucket.AcquireAsync(piece, cancellationToken);
            if (!lease.IsAcquired)
            {
                throw new PoolException(PoolErrorKind.Transient, string.Create(CultureInfo.InvariantCulture,
                    $"The bandwidth limit of {MegabitsPerSecond} Mbit/s refused {piece} bytes; try again."));
            }

            bytes -= piece;
        }
    }

    public void Dispose() => _bucket.Dispose();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{MegabitsPerSecond} Mbit/s");
}
