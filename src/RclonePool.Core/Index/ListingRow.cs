namespace RclonePool.Core.Index;

/// <summary>
/// What a listing prints of one entry (<c>rclonepool ls</c>): its path, whether it is a directory, its size and
/// modification time. A directory implied by the files below it has size 0 and the newest modified time below it.
/// </summary>
public readonly record struct ListingRow(string Path, bool IsDirectory, long Size, DateTimeOffset Modified)
{
    /// <summary>The last segment of <see cref="Path"/> ("" for the root).</summary>
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}
