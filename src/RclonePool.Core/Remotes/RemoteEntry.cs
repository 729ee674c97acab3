namespace RclonePool.Core.Remotes;

/// <summary>One item of a remote listing. <see cref="Path"/> is relative to the listed remote root.</summary>
public sealed record RemoteEntry(string Path, long Size, DateTimeOffset ModTime, bool IsDirectory)
{
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}
