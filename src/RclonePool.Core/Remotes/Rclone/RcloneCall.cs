using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>What one call does and to what, so every error it raises names the object and the remote.</summary>
/// <param name="Operation">The verb of the error message ("read", "list", "move").</param>
/// <param name="Target">The object or directory as the user knows it.</param>
/// <param name="Remote">The rclone remote involved.</param>
internal readonly record struct RcloneCall(string Operation, string Target, string Remote)
{
    public static RcloneCall For(string operation, RemotePath path) => new(operation, path.ToRcloneSpec(), path.Remote);

    public PoolException Failed(string rcloneMessage, int? httpStatus = null, int? exitCode = null, Exception? innerException = null) =>
        RcloneErrors.Failed(Operation, Target, Remote, rcloneMessage, httpStatus, exitCode, innerException);

    /// <summary>The error of a finished rclone command: killed by a signal, or its stderr classified with its exit code.</summary>
    public PoolException FromExit(int exitCode, IReadOnlyList<string> errorLines) => exitCode > 128
        ? Unreachable($"rclone was killed (signal {exitCode - 128})")
        : Failed(RcloneErrors.Summarize(errorLines), exitCode: exitCode);

    public PoolErrorKind Classify(int exitCode, IReadOnlyList<string> errorLines) => exitCode > 128
        ? PoolErrorKind.Transient
        : RcloneErrors.Classify(RcloneErrors.Summarize(errorLines), exitCode: exitCode);

    public PoolException Unreachable(string detail, Exception? innerException = null) =>
        RcloneErrors.Unreachable(Operation, Target, detail, innerException);

    public PoolException TimedOut(TimeSpan limit) => RcloneErrors.TimedOut(Operation, Target, limit);

    public PoolException NotFound() => RcloneErrors.NotFound(Target);
}
