using RclonePool.Core.Manifests;

namespace RclonePool.Core.Index.Sqlite;

/// <summary>How paths and kinds are stored in the index's columns.</summary>
internal static class IndexPaths
{
    /// <summary>"/" for "/a", "/a" for "/a/b".</summary>
    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    public static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>
    /// Bounds of the descendants of a directory as a half-open range of paths: every path that starts with
    /// "dir/" sorts at or after "dir/" and before "dir0" ('0' is the character after '/').
    /// </summary>
    public static (string Low, string High) DescendantRange(string directory) =>
        directory == "/" ? ("/", "0") : (directory + "/", directory + "0");

    public static long KindCode(EntryKind kind) => kind == EntryKind.Directory ? 1 : 0;

    public static EntryKind Kind(long code) => code == 1 ? EntryKind.Directory : EntryKind.File;
}
