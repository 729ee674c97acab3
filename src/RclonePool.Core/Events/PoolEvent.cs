using RclonePool.Core.Errors;

namespace RclonePool.Core.Events;

/// <summary>
/// One event on the <see cref="PoolEventBus"/>. Which members are set depends on <see cref="Type"/>: a file event
/// names <see cref="Path"/>, a chunk event also <see cref="Chunk"/> and <see cref="Remote"/>, a remote error
/// <see cref="Remote"/>, <see cref="Operation"/> and <see cref="ErrorKind"/>, progress <see cref="Bytes"/> of
/// <see cref="TotalBytes"/>. Immutable, so one instance goes to every subscriber.
/// </summary>
public sealed record PoolEvent
{
    public required PoolEventType Type { get; init; }

    public DateTimeOffset Time { get; init; }

    /// <summary>Pool path of the file concerned.</summary>
    public string? Path { get; init; }

    /// <summary>Pool remote name (or rclone remote spec for remote errors).</summary>
    public string? Remote { get; init; }

    /// <summary>Chunk index within the file.</summary>
    public int? Chunk { get; init; }

    /// <summary>Object path on the remote.</summary>
    public string? Object { get; init; }

    /// <summary>What was being done: "upload", "verify", "write", "read", "list", …</summary>
    public string? Operation { get; init; }

    public long? Bytes { get; init; }

    public long? TotalBytes { get; init; }

    /// <summary>Class of a failure (remote errors).</summary>
    public PoolErrorKind? ErrorKind { get; init; }

    /// <summary>One sentence: the error message, "intact", "duplicate of /a", ….</summary>
    public string? Detail { get; init; }
}
