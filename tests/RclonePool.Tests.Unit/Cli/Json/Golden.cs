using System.Runtime.CompilerServices;
using System.Text;

namespace RclonePool.Tests.Unit.Cli.Json;

/// <summary>
/// Golden files beside this source file (copied to the output directory). With RCLONEPOOL_UPDATE_GOLDEN=1 a test writes
/// what it produced into the source tree instead of comparing, and fails so that an update is never silent.
/// </summary>
internal static class Golden
{
    public static void AssertMatches(string name, byte[] actual)
    {
        if (Environment.GetEnvironmentVariable("RCLONEPOOL_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllBytes(Path.Combine(SourceDirectory(), name), actual);
            Assert.Fail($"{name} written; unset RCLONEPOOL_UPDATE_GOLDEN and run again.");
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Cli", "Json", name);
        Assert.True(File.Exists(path), $"{path} is missing; run with RCLONEPOOL_UPDATE_GOLDEN=1 to write it from today's output.");
        var expected = File.ReadAllBytes(path);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        Assert.Equal(expected, actual);
    }

    private static string SourceDirectory([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
