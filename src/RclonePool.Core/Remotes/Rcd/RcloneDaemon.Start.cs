using System.Collections;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Core.Remotes.Rcd;

public sealed partial class RcloneDaemon
{
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
    private static bool _warnedNoParentDeathSignal;

    /// <summary>
    /// Starts a new incarnation: <c>rclone rcd [user flags] --rc-addr 127.0.0.1:PORT --rc-serve …</c>, credentials in
    /// its environment (not on its command line, where other local users could read them). Ready when it logs
    /// "Serving remote control on http://127.0.0.1:PORT/", or, when the user's flags hide that line or the port is
    /// fixed, when <c>rc/noop</c> answers.
    /// </summary>
    private async Task<Instance> LaunchAsync(CancellationToken cancellationToken)
    {
        RcloneArguments.EnsureNoRemoteControlFlags(_options);
        if (!RcloneProcessLauncher.HasParentDeathSignal && !_warnedNoParentDeathSignal)
        {
            _warnedNoParentDeathSignal = true;
            RcloneLog.NoParentDeathSignal(_logger);
        }

        var port = _options.DaemonPort;
        if (port == 0 && HidesServingLine())
        {
            port = FreeLoopbackPort();
        }

        var announced = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnErrorLine(string line)
        {
            var match = ServingLine().Match(line);
            if (match.Success)
            {
                announced.TrySetResult(new Uri(match.Groups[1].Value));
            }
        }

        List<string> arguments =
        [
            "rcd", .. RcloneArguments.Defaults, .. _options.Flags, RcloneArguments.NoPasswordPrompt,
            "--rc-addr", $"127.0.0.1:{port}", "--rc-serve",
            "--rc-server-read-timeout", "24h", "--rc-server-write-timeout", "24h",
            // rc keeps every finished call (with its request) as a job for a minute by default: thousands of small
            // uploads grew the daemon to gigabytes. rclonepool never asks for finished jobs, so expire them fast.
            "--rc-job-expire-duration", "5s", "--rc-job-expire-interval", "5s",
        ];
        var process = await RcloneProcess.StartAsync(_options, arguments, _logger, drainOutput: true, onErrorLine: OnErrorLine, environment: DaemonEnvironment());
        try
        {
            var address = await WaitUntilServingAsync(process, announced.Task, port, cancellationToken);
            var endpoint = new RcdEndpoint(address, process.Id, Interlocked.Increment(ref _generation));
            var instance = new Instance(process, endpoint);
            _current = instance;
            _ = ReportUnexpectedExitAsync(instance);
            RcloneLog.DaemonStarted(_logger, process.Id, address);
            return instance;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private async Task<Uri> WaitUntilServingAsync(RcloneProcess process, Task<Uri> announced, int port, CancellationToken cancellationToken)
    {
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var started = _options.TimeProvider.GetTimestamp();
        var fixedAddress = port == 0 ? null : new Uri($"http://127.0.0.1:{port}/");
        while (true)
        {
            if (announced.IsCompletedSuccessfully)
            {
                return announced.Result;
            }

            if (exited.IsCompleted)
            {
                throw StartFailed(process, port);
            }

            if (fixedAddress is not null)
            {
                // Something else may hold the port and answer nothing: probe briefly, and stop probing once rclone exits.
                var ping = PingAsync(fixedAddress, cancellationToken, ProbeTimeout);
                if (await Task.WhenAny(ping, exited) == ping && await ping)
                {
                    return fixedAddress;
                }
            }

            var left = _options.StartTimeout - _options.TimeProvider.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new PoolException(
                    PoolErrorKind.Environment,
                    $"rclone rcd did not start serving within {_options.StartTimeout.TotalSeconds:0} s. Its last output: " +
                    $"{RcloneErrors.Summarize(process.ErrorLines)}. Check rclone_flags and that `rclone rcd` runs on this machine.");
            }

            var wait = fixedAddress is null ? left : (left < ProbeInterval ? left : ProbeInterval);
            await Task.WhenAny(announced, exited, Task.Delay(wait, _options.TimeProvider, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private PoolException StartFailed(RcloneProcess process, int port)
    {
        var said = RcloneErrors.Summarize(process.ErrorLines);
        var advice = said.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            ? $"Port {port} on 127.0.0.1 is taken: set rclone_daemon_port to 0 (any free port) or free that port."
            : "Check rclone_flags and that `rclone rcd` runs on this machine.";
        return new PoolException(PoolErrorKind.Environment, $"rclone rcd exited during start-up (code {process.ExitCode}): {said}. {advice}");
    }

    private async Task ReportUnexpectedExitAsync(Instance instance)
    {
        try
        {
            var code = await instance.Process.WaitForExitAsync(CancellationToken.None);
            if (!instance.Stopping && !_disposed && !RcloneChildren.ShuttingDown)
            {
                RcloneLog.DaemonExited(_logger, instance.Process.Id, code, RcloneErrors.Summarize(instance.Process.ErrorLines));
            }
        }
        catch (InvalidOperationException)
        {
            // Disposed while we waited: it was stopped on purpose.
        }
    }

    /// <summary>
    /// Our credentials (an htpasswd file, see <see cref="RcdCredentialsFile"/>; user and password as a fallback), and no
    /// inherited <c>RCLONE_RC_*</c> variable that could change the rc's address or auth.
    /// </summary>
    private Dictionary<string, string?> DaemonEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in System.Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith("RCLONE_RC_", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = null;
            }
        }

        foreach (var name in _options.Environment.Keys)
        {
            if (name.StartsWith("RCLONE_RC_", StringComparison.OrdinalIgnoreCase))
            {
                environment[name] = null;
            }
        }

        _credentialsFile ??= RcdCredentialsFile.TryCreate(_user, _password);
        if (_credentialsFile is { } file && file.EnsureWritten())
        {
            environment["RCLONE_RC_HTPASSWD"] = file.FilePath;
        }
        else
        {
            environment["RCLONE_RC_USER"] = _user;
            environment["RCLONE_RC_PASS"] = _password;
        }

        return environment;
    }

    /// <summary>True when the user's flags or environment keep rclone from logging the NOTICE line with its address on stderr.</summary>
    private bool HidesServingLine()
    {
        string[] quietFlags = ["-q", "--quiet", "--syslog"];
        for (var i = 0; i < _options.Flags.Count; i++)
        {
            var flag = _options.Flags[i];
            if (quietFlags.Contains(flag) || flag.StartsWith("--log-file", StringComparison.Ordinal) ||
                (flag.StartsWith("--log-level", StringComparison.Ordinal) &&
                 (flag.EndsWith("=ERROR", StringComparison.OrdinalIgnoreCase) ||
                  (i + 1 < _options.Flags.Count && _options.Flags[i + 1].Equals("ERROR", StringComparison.OrdinalIgnoreCase)))))
            {
                return true;
            }
        }

        string[] quietVariables = ["RCLONE_QUIET", "RCLONE_LOG_FILE", "RCLONE_LOG_LEVEL", "RCLONE_SYSLOG"];
        return quietVariables.Any(name =>
            !string.IsNullOrEmpty(_options.Environment.TryGetValue(name, out var value) ? value : System.Environment.GetEnvironmentVariable(name)));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    // rclone's NOTICE once it listens: "Serving remote control on http://127.0.0.1:39253/".
    [GeneratedRegex(@"Serving remote control on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex ServingLine();
}
