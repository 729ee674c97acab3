namespace RclonePool.Core.Placement;

/// <summary>
/// One remote as a placement strategy sees it: free space from rclone's about (null when the backend cannot
/// tell), bytes the pool stores there, and bytes reserved by chunks in flight in the current operation.
/// </summary>
public sealed record RemoteLoad(string Remote, long? Free, long Stored, long Reserved)
{
    /// <summary>Free space left after the reservations, or null when unknown.</summary>
    public long? Available => Free is { } free ? free - Reserved : null;

    public bool CanHold(long bytes) => Available is not { } available || available >= bytes;
}
