namespace RclonePool.Core.Manifests;

/// <summary>
/// The record of a delete, stored in a <see cref="ManifestPack"/>: every revision of <see cref="FileId"/> up to
/// <see cref="Revision"/> is gone. It outranks those revisions wherever they are (in packs, which a delete cannot
/// shorten, or as single objects a failed delete left), so a rebuild from the remotes never brings a deleted file back.
/// Compaction drops it once no remote holds any revision it hides.
/// </summary>
public sealed record Tombstone
{
    public const string FormatName = "rclonepool-tombstone";

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = 1;

    public required string FileId { get; init; }

    public required long Revision { get; init; }

    public DateTimeOffset Written { get; init; }
}
