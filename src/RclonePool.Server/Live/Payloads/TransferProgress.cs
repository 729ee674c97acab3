namespace RclonePool.Server.Live.Payloads;

/// <summary>upload_progress and download_progress: bytes done of one file so far.</summary>
internal sealed record TransferProgress(string Path, long Bytes, long? TotalBytes, string Operation);
