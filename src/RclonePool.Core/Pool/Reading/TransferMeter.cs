namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// How fast the remotes deliver one reader's blocks: bytes and the time spent waiting for them (not the time spent
/// checking them), added by every remote read of the reader's chunks. Thread-safe.
/// </summary>
internal sealed class TransferMeter
{
    private long _bytes;
    private long _ticks;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Add(long bytes, long ticks)
    {
        Interlocked.Add(ref _ticks, ticks);
        Interlocked.Add(ref _bytes, bytes);
    }

    /// <summary>Returns the bytes per second measured so far and starts a new measurement.</summary>
    public double TakeRate()
    {
        var bytes = Interlocked.Exchange(ref _bytes, 0);
        var ticks = Interlocked.Exchange(ref _ticks, 0);
        return bytes * (double)System.Diagnostics.Stopwatch.Frequency / Math.Max(1, ticks);
    }
}
