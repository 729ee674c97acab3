namespace RclonePool.Core.Manifests;

/// <summary>
/// The shared-content marker, <c>&lt;manifest_prefix&gt;/shared/&lt;sha256&gt;.json</c> on every remote (see
/// docs/manifest-format.md). Duplicate detection writes (or rewrites) it before a manifest borrows the chunk objects of
/// another file with the same content. While a marker exists, deleting a file of that content leaves its chunks to
/// <c>rclonepool orphans</c>, which reads every manifest before it removes anything.
/// </summary>
public sealed record SharedContent
{
    public const string FormatName = "rclonepool-shared";

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = 1;

    /// <summary>SHA-256 (hex) of the shared content.</summary>
    public required string Sha256 { get; init; }

    public long Size { get; init; }

    /// <summary>The borrowed chunk objects: "remote object" pairs.</summary>
    public IReadOnlyList<SharedObject> Objects { get; init; } = [];

    /// <summary>When a borrow last (re)wrote the marker.</summary>
    public DateTimeOffset Written { get; init; }
}

/// <summary>One chunk object named by a <see cref="SharedContent"/> marker.</summary>
public sealed record SharedObject(string Remote, string Object);
