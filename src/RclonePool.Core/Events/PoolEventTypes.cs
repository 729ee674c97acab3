namespace RclonePool.Core.Events;

/// <summary>The feature document's names of the hook points.</summary>
public static class PoolEventTypes
{
    /// <summary>"PRE_UPLOAD", "FILE_VERIFIED", "REMOTE_ERROR", … ("PROGRESS" for progress).</summary>
    public static string HookName(this PoolEventType type) => type switch
    {
        PoolEventType.PreUpload => "PRE_UPLOAD",
        PoolEventType.PostUpload => "POST_UPLOAD",
        PoolEventType.PreDownload => "PRE_DOWNLOAD",
        PoolEventType.PostDownload => "POST_DOWNLOAD",
        PoolEventType.PreDelete => "PRE_DELETE",
        PoolEventType.PostDelete => "POST_DELETE",
        PoolEventType.FileVerified => "FILE_VERIFIED",
        PoolEventType.FileRepaired => "FILE_REPAIRED",
        PoolEventType.ChunkMissing => "CHUNK_MISSING",
        PoolEventType.ChunkMoved => "CHUNK_MOVED",
        PoolEventType.HealthChecked => "HEALTH_CHECKED",
        PoolEventType.RemoteError => "REMOTE_ERROR",
        PoolEventType.Progress => "PROGRESS",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
