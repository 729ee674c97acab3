using RclonePool.Core.Config;

namespace RclonePool.Server.Api;

/// <summary>
/// Files on the server's own disk that API requests name (the JSON upload form's <c>local_path</c>, repair's
/// <c>local_source</c>): allowed only below a directory of <c>api_upload_roots</c>, after resolving '..' and every
/// symbolic link along the path, so neither can lead out of a root.
/// </summary>
internal static class LocalSources
{
    /// <summary>The resolved path of <paramref name="value"/>; 403 when the key is empty or the path lies outside it, 400 when it is not absolute.</summary>
    public static string Allow(PoolConfig config, string? value, string field)
    {
        var roots = config.ApiUploadRoots;
        if (roots.Count == 0)
        {
            throw ApiProblems.Forbidden(
                $"Reading '{field}' from the server's disk is off: set api_upload_roots in the config to the directories the API may read, or send the file as multipart/form-data.");
        }

        if (string.IsNullOrEmpty(value) || !Path.IsPathFullyQualified(value))
        {
            throw ApiProblems.BadRequest($"'{field}' must be an absolute path on the server, below one of api_upload_roots ({string.Join(", ", roots)}).");
        }

        var resolved = Resolve(value);
        if (!roots.Any(root => Below(resolved, Resolve(root))))
        {
            throw ApiProblems.Forbidden($"{value} is not below any directory of api_upload_roots ({string.Join(", ", roots)}); add its directory to that key or send the file as multipart/form-data.");
        }

        if (!File.Exists(resolved))
        {
            throw ApiProblems.NotFound($"{value} does not exist on the server or is not a file.");
        }

        return resolved;
    }

    /// <summary>The full path with every symbolic link along it followed.</summary>
    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full) ?? "/";
        foreach (var part in full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (info.Exists && info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                next = Path.GetFullPath(target.FullName);
            }

            current = next;
        }

        return current;
    }

    private static bool Below(string path, string root)
    {
        var withSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(withSeparator, StringComparison.Ordinal);
    }
}
