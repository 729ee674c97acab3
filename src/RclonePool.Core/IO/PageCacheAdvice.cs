using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RclonePool.Core.IO;

/// <summary>
/// Tells the kernel which part of a file is about to be written (<c>posix_fadvise</c> WILLNEED), so that the page
/// cache for it is set up ahead of the write, outside the file's write lock. On the development VM a buffered write
/// into pages the kernel had to set up inside <c>pwrite</c> cost 1.5–3 s of system time per GiB; with the next piece
/// advised before each write, a download spent 35–45 % less (docs/benchmarks.md, download to a file). Only a hint:
/// it does nothing where it is not supported, and a failure is ignored.
/// </summary>
internal static partial class PageCacheAdvice
{
    private const int WillNeed = 3;

    /// <summary>Asks the kernel to set up the page cache of <paramref name="length"/> bytes from <paramref name="offset"/>.</summary>
    public static void WillWrite(SafeFileHandle file, long offset, long length)
    {
        if (OperatingSystem.IsLinux() && length > 0)
        {
            _ = Advise(file, offset, length, WillNeed);
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int Advise(SafeFileHandle file, long offset, long length, int advice);
}
