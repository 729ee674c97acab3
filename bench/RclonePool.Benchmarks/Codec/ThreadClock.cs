using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RclonePool.Benchmarks.Codec;

/// <summary>
/// Seconds of CPU time used by the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>), so that time spent
/// descheduled on a shared machine does not count against a trial; wall-clock time elsewhere.
/// </summary>
internal static partial class ThreadClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static double Now()
    {
        if (OperatingSystem.IsLinux() && clock_gettime(ClockThreadCpuTimeId, out TimeSpec time) == 0)
        {
            return time.Seconds + (time.Nanoseconds * 1e-9);
        }

        return Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency;
    }

    [LibraryImport("libc", SetLastError = false)]
    private static partial int clock_gettime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
