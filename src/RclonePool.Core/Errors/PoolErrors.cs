using RclonePool.Core.Paths;

namespace RclonePool.Core.Errors;

/// <summary>The pool's common failures, built in one place so their wording stays consistent.</summary>
public static class PoolErrors
{
    public static PoolException NotFound(PoolPath path) =>
        new(PoolErrorKind.NotFound, $"{path} does not exist in the pool; 'rclonepool ls {path.Parent}' shows what is there.");

    public static PoolException Exists(PoolPath path) =>
        new(PoolErrorKind.Conflict, $"{path} already exists in the pool; delete it first or choose another name.");

    public static PoolException IsDirectory(PoolPath path) =>
        new(PoolErrorKind.BadInput, $"{path} is a directory; give a file path (or use -r where the command allows it).");

    public static PoolException ParentIsFile(PoolPath path, PoolPath file) =>
        new(PoolErrorKind.Conflict, $"Cannot create {path}: {file} is a file, not a directory.");

    public static PoolException ChunkCorrupt(string file, int chunk, string remote, string detail) =>
        new(PoolErrorKind.Integrity, $"Chunk {chunk} of {file} on {remote} is damaged ({detail}); run 'rclonepool verify {file}' and restore it with 'rclonepool repair'.");
}
