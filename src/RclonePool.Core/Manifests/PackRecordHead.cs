namespace RclonePool.Core.Manifests;

/// <summary>The fields every pack record shares (a manifest's or a tombstone's), read to file a record before it is parsed whole.</summary>
internal sealed record PackRecordHead
{
    public string? Format { get; init; }

    public string? FileId { get; init; }

    public long Revision { get; init; }
}
