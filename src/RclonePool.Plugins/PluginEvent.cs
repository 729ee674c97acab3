namespace RclonePool.Plugins;

/// <summary>
/// One event of the pool as a plugin (and an <c>event_commands</c> command, as JSON) sees it. Which members are set
/// depends on <see cref="Hook"/>: file events name <see cref="Path"/>, chunk events also <see cref="Chunk"/> and
/// <see cref="Remote"/>, remote errors <see cref="Remote"/>, <see cref="Operation"/> and <see cref="Message"/>.
/// </summary>
public sealed record PluginEvent
{
    /// <summary>The hook: PRE_UPLOAD, POST_UPLOAD, PRE_DOWNLOAD, POST_DOWNLOAD, PRE_DELETE, POST_DELETE, FILE_VERIFIED,
    /// FILE_REPAIRED, CHUNK_MISSING, REMOTE_ERROR (and HEALTH_CHECKED, CHUNK_MOVED, PROGRESS).</summary>
    public required string Hook { get; init; }

    public DateTimeOffset Time { get; init; }

    /// <summary>Pool path of the file concerned.</summary>
    public string? Path { get; init; }

    /// <summary>Pool remote concerned.</summary>
    public string? Remote { get; init; }

    /// <summary>Chunk index within the file.</summary>
    public int? Chunk { get; init; }

    /// <summary>What was being done: "upload", "read", "verify", ….</summary>
    public string? Operation { get; init; }

    /// <summary>Bytes concerned (or done so far, for progress).</summary>
    public long? Bytes { get; init; }

    /// <summary>Whole size, when known.</summary>
    public long? TotalBytes { get; init; }

    /// <summary>One sentence: the error, "intact", ….</summary>
    public string? Message { get; init; }
}
