using System.Diagnostics;

namespace RclonePool.Tests.Integration.Remotes;

/// <summary>Process checks by pid, and waiting on conditions instead of sleeping.</summary>
internal static class Processes
{
    /// <summary>True while <paramref name="pid"/> is a live (not zombie) rclone process.</summary>
    public static bool IsRcloneRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            if (state is 'Z' or 'X')
            {
                return false;
            }

            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline");
            return commandLine.Contains("rclone", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test when <paramref name="timeout"/> passes first.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting until {what}.");
            }

            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The peak resident memory of this process since <see cref="ResetPeakResident"/>, in bytes.</summary>
    public static long PeakResidentBytes() => StatusKilobytes("VmHWM:") * 1024;

    /// <summary>Resets the kernel's peak-resident counter (Linux: "5" to /proc/self/clear_refs). False when not allowed.</summary>
    public static bool ResetPeakResident()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long StatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
