using System.Diagnostics;
using System.Threading.Channels;

namespace RclonePool.Tests.Integration.Support;

/// <summary>
/// A long-running rclonepool command (serve, quickstart) as a child process: its stdout read line by line as it comes,
/// signals sent to it, its rclone children found through /proc. Killed on dispose if still running.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];
    private readonly Task<string> _stderr;
    private readonly Task _pump;

    private CliProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync();
        _pump = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                await _lines.Writer.WriteAsync(line);
            }

            _lines.Writer.Complete();
        });
    }

    public int Id => _process.Id;

    /// <summary>Every stdout line read so far.</summary>
    public IReadOnlyList<string> Lines => _seen;

    public static CliProcess Start(IEnumerable<string> arguments, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(CliRunner.CliAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("RCLONEPOOL_CONFIG");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new CliProcess(Process.Start(start)!);
    }

    /// <summary>Reads stdout until a line matches; fails the test (with what was said) if the process ends or the time runs out first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (await _lines.Reader.WaitToReadAsync(deadline.Token))
            {
                while (_lines.Reader.TryRead(out var line))
                {
                    _seen.Add(line);
                    if (match(line))
                    {
                        return line;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }

        Assert.Fail($"The expected line did not come within {timeout.TotalSeconds:0} s. stdout:\n{string.Join('\n', _seen)}\nstderr:\n{(_process.HasExited ? await _stderr : "(still running)")}");
        return "";
    }

    /// <summary>The process's direct children that are rclone processes (its rcd).</summary>
    public IReadOnlyList<int> RcloneChildren()
    {
        var children = new List<int>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{Id}/task"))
        {
            var listed = File.ReadAllText(Path.Combine(task, "children"));
            children.AddRange(listed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse));
        }

        return [.. children.Where(Remotes.Processes.IsRcloneRunning)];
    }

    /// <summary>Sends a signal (2: Ctrl-C) and waits for the exit; returns the exit code and stderr.</summary>
    public async Task<(int ExitCode, string StdErr)> SignalAndWaitAsync(int signal, TimeSpan timeout)
    {
        Assert.Equal(0, Remotes.Native.Kill(Id, signal));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        await _pump;
        while (_lines.Reader.TryRead(out var line))
        {
            _seen.Add(line);
        }

        return (_process.ExitCode, await _stderr);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
