namespace RclonePool.Core.Errors;

/// <summary>The class of a failure; callers decide on retries and exit codes by it, never by message text.</summary>
public enum PoolErrorKind
{
    /// <summary>The caller asked for something invalid (a path, a flag, a config value). Nothing was changed.</summary>
    BadInput,

    /// <summary>The named file, directory or remote object does not exist.</summary>
    NotFound,

    /// <summary>The operation conflicts with the pool's state (destination exists, remote belongs to another pool).</summary>
    Conflict,

    /// <summary>A remote failed in a way that may succeed when tried again (timeouts, connection resets, 5xx).</summary>
    Transient,

    /// <summary>Stored bytes do not match their recorded hash, or a manifest is damaged.</summary>
    Integrity,

    /// <summary>The pool, or a remote asked to store something, lacks the space to hold the data (a full disk, an exhausted quota).</summary>
    NoSpace,

    /// <summary>A prerequisite is missing or broken (rclone not installed, config unreadable).</summary>
    Environment,

    /// <summary>A remote failed permanently (permission, authentication, read-only).</summary>
    Remote,
}
