using System.Diagnostics;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// Runs the real CLI and kills it (SIGKILL, by pid) once the remotes' directories have seen a given number of changes
/// (objects created, removed or grown): a kill point inside the operation that a seed reproduces.
/// </summary>
public static class KillableRun
{
    /// <summary>True when the process was killed, false when it ended on its own first (then its exit code is returned).</summary>
    public static async Task<(bool Killed, int? ExitCode, int ChangesSeen)> RunAsync(FaultPool pool, int killAfterChanges, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[CliRunner.CliAssembly, "--config", pool.ConfigPath, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("RCLONEPOOL_CONFIG");
        foreach (var (key, value) in pool.Environment)
        {
            start.Environment[key] = value;
        }

        var before = Snapshot(pool);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var drainOut = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        var drainErr = process.StandardError.ReadToEndAsync();
        var changes = 0;
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            var now = Snapshot(pool);
            changes += Diff(before, now);
            before = now;
            if (changes >= killAfterChanges)
            {
                process.Kill(); // SIGKILL on Unix; its rclone child dies with it (parent-death signal)
                await process.WaitForExitAsync(TestContext.Current.CancellationToken);
                await Task.WhenAll(drainOut, drainErr);
                return (true, null, changes);
            }

            await Task.Delay(1, TestContext.Current.CancellationToken);
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        await Task.WhenAll(drainOut, drainErr);
        return (false, process.ExitCode, changes);
    }

    private static Dictionary<string, long> Snapshot(FaultPool pool)
    {
        var files = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (_, directory) in pool.Remotes)
        {
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                try
                {
                    files[file.FullName] = file.Length;
                }
                catch (FileNotFoundException)
                {
                }
            }
        }

        return files;
    }

    private static int Diff(Dictionary<string, long> before, Dictionary<string, long> now) =>
        now.Count(f => !before.TryGetValue(f.Key, out var size) || size != f.Value) + before.Keys.Count(k => !now.ContainsKey(k));
}
