using System.Runtime.InteropServices;

namespace RclonePool.Tests.Integration.Remotes;

internal static partial class Native
{
    /// <summary>kill(2): sends <paramref name="signal"/> to <paramref name="pid"/>; 0 on success.</summary>
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
