namespace RclonePool.Core.Events;

/// <summary>
/// The hook points of the feature document, plus progress. <see cref="PoolEventTypes.HookName"/> gives the
/// document's spelling (<c>PRE_UPLOAD</c> …) that plugins and the WebSocket use.
/// </summary>
public enum PoolEventType
{
    /// <summary>An upload into the pool starts (nothing is stored yet).</summary>
    PreUpload,

    /// <summary>An upload is durable and visible.</summary>
    PostUpload,

    /// <summary>A download or read of a file starts.</summary>
    PreDownload,

    /// <summary>A download or read of a file completed.</summary>
    PostDownload,

    /// <summary>An entry is about to be deleted.</summary>
    PreDelete,

    /// <summary>An entry was deleted (its manifests are gone).</summary>
    PostDelete,

    /// <summary>A file was verified; <see cref="PoolEvent.Detail"/> says whether it is intact.</summary>
    FileVerified,

    /// <summary>A damaged file was repaired.</summary>
    FileRepaired,

    /// <summary>A chunk object that a manifest names is missing (or unreadable) on its remote.</summary>
    ChunkMissing,

    /// <summary>A health check finished; <see cref="PoolEvent.Detail"/> is its summary ("healthy: 12 files …").</summary>
    HealthChecked,

    /// <summary>A remote operation failed (every failed attempt, retried or not).</summary>
    RemoteError,

    /// <summary>Bytes done so far of a long operation (upload, verify).</summary>
    Progress,

    /// <summary>A chunk object moved to another remote (rebalance, remote drain): <see cref="PoolEvent.Remote"/> is where it is now.</summary>
    ChunkMoved,
}
