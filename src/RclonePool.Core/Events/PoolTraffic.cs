namespace RclonePool.Core.Events;

/// <summary>
/// Counters of what went through one open pool since it was opened: file bytes stored and served, and the façade's
/// operations. Incremented on the hot paths with one interlocked add per buffer, read by the metrics and the live
/// statistics. Thread-safe.
/// </summary>
public sealed class PoolTraffic
{
    private static readonly PoolOperation[] AllOperations = Enum.GetValues<PoolOperation>();

    private readonly long[] _operations = new long[AllOperations.Length];
    private long _uploaded;
    private long _downloaded;

    /// <summary>The operations counted, in a fixed order.</summary>
    public static IReadOnlyList<PoolOperation> Operations => AllOperations;

    /// <summary>File bytes read from uploaders and stored (a duplicate's bytes are not stored, and not counted).</summary>
    public long UploadedBytes => Interlocked.Read(ref _uploaded);

    /// <summary>File bytes handed out to readers (downloads and ranged reads), every one verified.</summary>
    public long DownloadedBytes => Interlocked.Read(ref _downloaded);

    /// <summary>Every operation counted so far.</summary>
    public long OperationsTotal
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _operations.Length; i++)
            {
                total += Interlocked.Read(ref _operations[i]);
            }

            return total;
        }
    }

    public long Count(PoolOperation operation) => Interlocked.Read(ref _operations[(int)operation]);

    public void AddUploaded(long bytes) => Interlocked.Add(ref _uploaded, bytes);

    public void AddDownloaded(long bytes) => Interlocked.Add(ref _downloaded, bytes);

    public void Started(PoolOperation operation) => Interlocked.Increment(ref _operations[(int)operation]);
}
