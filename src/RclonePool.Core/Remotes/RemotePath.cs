namespace RclonePool.Core.Remotes;

/// <summary>
/// An object on one rclone remote. <see cref="Remote"/> is the remote as rclone names it ("gdrive:",
/// "gdrive:some/dir" or a local directory such as "/srv/disk1"); <see cref="Path"/> is relative to it,
/// with '/' separators and no leading slash.
/// </summary>
public readonly record struct RemotePath(string Remote, string Path)
{
    /// <summary>The combined spelling rclone's command line accepts ("gdrive:dir/obj", "/srv/disk1/obj").</summary>
    public string ToRcloneSpec() => Join(Remote, Path);

    public RemotePath Child(string name) => new(Remote, Path.Length == 0 ? name : Path + "/" + name);

    public override string ToString() => ToRcloneSpec();

    /// <summary>Joins a remote root and a relative path the way rclone reads them.</summary>
    public static string Join(string remote, string path)
    {
        if (path.Length == 0)
        {
            return remote;
        }

        if (remote.EndsWith(':') || remote.EndsWith('/'))
        {
            return remote + path;
        }

        return remote + "/" + path;
    }
}
