using System.Diagnostics;

namespace RclonePool.Tests.Integration.Support;

/// <summary>Finds the external programs the tests drive, and runs them with arguments passed one by one.</summary>
public static class Tools
{
    /// <summary>The full path of <paramref name="name"/> on PATH; fails with how to install it when missing.</summary>
    public static string Require(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"'{name}' is not installed. Run ./test.sh (it installs it), or: apt-get install {name}");
        return name;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string program, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var (exit, stdout, stderr) = await RunForBytesAsync(program, arguments, workingDirectory, environment, timeout);
        return (exit, System.Text.Encoding.UTF8.GetString(stdout), stderr);
    }

    /// <summary>Runs a program and returns its standard output as bytes (for binary output such as <c>rclone cat</c>).</summary>
    public static async Task<(int ExitCode, byte[] Stdout, string Stderr)> RunForBytesAsync(
        string program, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        process.StandardInput.Close();
        var stdout = new MemoryStream();
        var copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish in time.");
        }

        await copyOut;
        return (process.ExitCode, stdout.ToArray(), await stderr);
    }
}
