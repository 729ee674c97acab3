using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>
/// Starts rclone processes so that none outlives this process. On Linux each rclone is started through
/// <c>setpriv --pdeathsig KILL</c> (util-linux, essential on Debian), so the kernel kills it when its parent goes away,
/// even after a SIGKILL that runs no handler. The parent-death signal follows the <em>thread</em> that forked the
/// child, so every start happens on one dedicated thread that lives as long as the process.
/// Without setpriv, children are still stopped on exit and on signals (<see cref="RcloneChildren"/>).
/// </summary>
internal static class RcloneProcessLauncher
{
    private static readonly Lazy<string?> Setpriv = new(() => OperatingSystem.IsLinux() ? RcloneExecutable.Find("setpriv") : null);
    private static readonly BlockingCollection<(ProcessStartInfo Info, TaskCompletionSource<Process> Started)> Requests = [];
    private static readonly Lazy<Thread> Spawner = new(StartSpawner);

    /// <summary>True when children are tied to this process by the kernel (parent-death signal).</summary>
    public static bool HasParentDeathSignal => Setpriv.Value is not null;

    /// <summary>
    /// Starts <c>rclone &lt;arguments&gt;</c> with stdin, stdout and stderr redirected. <paramref name="environment"/>
    /// entries override the inherited environment (null removes a variable).
    /// </summary>
    public static Task<Process> StartAsync(RcloneOptions options, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var rclone = RcloneExecutable.Resolve(options.Binary);
        var info = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardErrorEncoding = Encoding.UTF8,
        };

        var setpriv = Setpriv.Value;
        if (setpriv is not null)
        {
            info.FileName = setpriv;
            info.ArgumentList.Add("--pdeathsig");
            info.ArgumentList.Add("KILL");
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(rclone);
        }
        else
        {
            info.FileName = rclone;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // rclone speaks systemd's notify protocol itself: under a service manager (Type=notify) it must not say READY=1 or
        // STOPPING=1 for rclonepool, whose own host says both.
        info.Environment.Remove("NOTIFY_SOCKET");
        ApplyEnvironment(info, options.Environment);
        if (environment is not null)
        {
            ApplyEnvironment(info, environment);
        }

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (setpriv is null)
        {
            Start(info, started);
        }
        else
        {
            _ = Spawner.Value;
            Requests.Add((info, started));
        }

        return TrackAsync(started.Task, options);
    }

    private static async Task<Process> TrackAsync(Task<Process> starting, RcloneOptions options)
    {
        var process = await starting;
        RcloneChildren.Track(process, options.StopOnTerminationSignals);
        options.ProcessStarted?.Invoke(process.Id);
        return process;
    }

    private static void ApplyEnvironment(ProcessStartInfo info, IReadOnlyDictionary<string, string?> environment)
    {
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
    }

    private static Thread StartSpawner()
    {
        var thread = new Thread(() =>
        {
            foreach (var (info, started) in Requests.GetConsumingEnumerable())
            {
                Start(info, started);
            }
        })
        {
            IsBackground = true,
            Name = "rclone launcher",
        };
        thread.Start();
        return thread;
    }

    private static void Start(ProcessStartInfo info, TaskCompletionSource<Process> started)
    {
        try
        {
            var process = Process.Start(info) ?? throw new InvalidOperationException("Process.Start returned no process.");
            started.SetResult(process);
        }
        catch (Win32Exception e)
        {
            started.SetException(new PoolException(
                PoolErrorKind.Environment,
                $"rclone could not be started ({info.FileName}): {e.Message}. Check that rclone_binary names an executable rclone " +
                "(install it with `apt-get install rclone`).",
                e));
        }
        catch (Exception e)
        {
            started.SetException(e);
        }
    }
}
