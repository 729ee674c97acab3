using System.Globalization;

namespace RclonePool.Core;

/// <summary>Human formatting of sizes and rates (binary units, as rclone prints them).</summary>
public static class Units
{
    private static readonly string[] Suffixes = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string FormatBytes(long bytes)
    {
        double value = bytes;
        var i = 0;
        while (Math.Abs(value) >= 1024 && i < Suffixes.Length - 1)
        {
            value /= 1024;
            i++;
        }

        return i == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Suffixes[i]}");
    }

    /// <summary>Megabytes (10^6 bytes) per second, as benchmarks and progress report speed.</summary>
    public static string FormatRate(long bytes, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6 / Math.Max(elapsed.TotalSeconds, 1e-9):0.0} MB/s");
}
