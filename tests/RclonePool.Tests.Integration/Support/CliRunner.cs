using System.Diagnostics;
using System.Text;

namespace RclonePool.Tests.Integration.Support;

/// <summary>Runs the real rclonepool executable (the CLI assembly built beside the tests) as a child process.</summary>
public static class CliRunner
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string CliAssembly { get; } = Path.Combine(AppContext.BaseDirectory, "rclonepool.dll");

    /// <param name="launcher">A program (and its arguments) that runs "dotnet rclonepool.dll …", e.g. setpriv to drop capabilities.</param>
    public static async Task<CliResult> RunAsync(IEnumerable<string> arguments, byte[]? stdin = null, IDictionary<string, string>? environment = null, string? workingDirectory = null, IReadOnlyList<string>? launcher = null)
    {
        var start = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        if (launcher is { Count: > 0 })
        {
            foreach (var part in launcher.Skip(1).Append("dotnet"))
            {
                start.ArgumentList.Add(part);
            }
        }

        start.ArgumentList.Add(CliAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("RCLONEPOOL_CONFIG");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var readErr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"rclonepool {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        await copyOut;
        var bytes = stdout.ToArray();
        return new CliResult(process.ExitCode, Encoding.UTF8.GetString(bytes), await readErr, bytes);
    }
}
