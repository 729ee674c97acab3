namespace RclonePool.Core.Remotes.Rclone;

/// <summary>How an rclone command ended: its exit code, what it wrote to stdout, and the last lines of its stderr.</summary>
internal readonly record struct RcloneCommandResult(int ExitCode, byte[] Output, IReadOnlyList<string> ErrorLines)
{
    public bool Succeeded => ExitCode == 0;
}
