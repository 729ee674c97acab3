namespace RclonePool.Tests.Integration.Support;

/// <summary>What one run of the real rclonepool executable did.</summary>
public sealed record CliResult(int ExitCode, string StdOut, string StdErr, byte[] StdOutBytes)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StdOut}\nstderr:\n{StdErr}";
}
