namespace RclonePool.Core.Placement;

/// <summary>
/// One remote as a placement strategy sees it: free space from rclone's about (null when the backend cannot
/// tell), bytes the pool stores there, and bytes reserved by chunks in flight in the current operation; with its
/// <c>remote_weights</c> weight (higher is chosen more often) and <c>remote_priorities</c> priority (higher is filled first).
/// </summary>
public sealed record RemoteLoad(string Remote, long? Free, long Stored, long Reserved)
{
    /// <summary>The remote's weight, greater than 0; 1 unless <c>remote_weights</c> names it.</summary>
    public double Weight { get; init; } = 1.0;

    /// <summary>The remote's priority; 0 unless <c>remote_priorities</c> names it.</summary>
    public int Priority { get; init; }

    /// <summary>True while the remote is drained (<c>draining_remotes</c>): it gets nothing new and its share is 0.</summary>
    public bool Draining { get; init; }

    /// <summary>Free space left after the reservations, or null when unknown.</summary>
    public long? Available => Free is { } free ? free - Reserved : null;

    /// <summary>The pool's bytes on this remote, those in flight included.</summary>
    public long Used => Stored + Reserved;

    public bool CanHold(long bytes) => !Draining && (Available is not { } available || available >= bytes);
}
