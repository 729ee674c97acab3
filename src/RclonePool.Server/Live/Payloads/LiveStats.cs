namespace RclonePool.Server.Live.Payloads;

/// <summary>stats: throughput and counts of the last second, and the totals since the server started.</summary>
internal sealed record LiveStats(
    double UploadBytesPerSecond,
    double DownloadBytesPerSecond,
    double OperationsPerSecond,
    double ErrorsPerSecond,
    long UploadBytesTotal,
    long DownloadBytesTotal,
    long OperationsTotal,
    long ErrorsTotal);
