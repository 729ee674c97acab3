namespace RclonePool.Core.Pool;

/// <summary>Options of one upload into the pool.</summary>
public sealed record PutOptions
{
    public static PutOptions Default { get; } = new();

    /// <summary>Replace an existing file (the old version stays readable until the new one is durable).</summary>
    public bool Overwrite { get; init; } = true;

    /// <summary>Modification time to record; now when null.</summary>
    public DateTimeOffset? Modified { get; init; }

    /// <summary>Chunk transfers in flight at once; the config's <c>max_parallel_workers</c> when null.</summary>
    public int? Workers { get; init; }

    /// <summary>
    /// The caller has just found the path's parent to be a directory (a WebDAV PUT checks it to answer 409), so the upload
    /// does not look up the path's ancestors again: a directory's ancestors are directories. A file created above the path
    /// meanwhile is caught no later than it would be otherwise (the ancestors are not locked either way).
    /// </summary>
    public bool ParentIsDirectory { get; init; }

    /// <summary>Receives the count of bytes stored so far.</summary>
    public IProgress<long>? Progress { get; init; }
}
