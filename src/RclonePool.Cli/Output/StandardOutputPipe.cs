using System.Runtime.InteropServices;

namespace RclonePool.Cli.Output;

/// <summary>
/// Widens the pipe behind standard output, when it is one (<c>rclonepool cat FILE | program</c>): a pipe holds 64 KiB
/// by default, so every 256 KiB block written wakes the reader several times and waits for it in between; at 1 MiB
/// (the most an unprivileged process may ask for) a block fits whole. Only a hint: it does nothing where standard
/// output is not a pipe or the system refuses, and a failure is ignored.
/// </summary>
internal static partial class StandardOutputPipe
{
    private const int StandardOutput = 1;
    private const int SetPipeSize = 1031; // F_SETPIPE_SZ
    private const int Capacity = 1 << 20;

    public static void Widen()
    {
        if (OperatingSystem.IsLinux())
        {
            _ = Fcntl(StandardOutput, SetPipeSize, Capacity);
        }
    }

    [LibraryImport("libc", EntryPoint = "fcntl")]
    private static partial int Fcntl(int descriptor, int command, int argument);
}
