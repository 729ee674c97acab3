using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes.Rcd;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Tests.Integration.Remotes;

/// <summary>The supervisor of <c>rclone rcd</c>: start-up, security, failures, and no orphans whatever way its owner ends.</summary>
public sealed class RcloneDaemonTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Starts_on_first_use_on_loopback_behind_random_credentials_kept_off_its_command_line()
    {
        await using var daemon = new RcloneDaemon(new RcloneOptions());
        Assert.Null(daemon.ProcessId);

        var address = await daemon.StartAsync(Ct);

        var pid = Assert.NotNull(daemon.ProcessId);
        Assert.Equal("127.0.0.1", address.Host);
        Assert.NotEqual(0, address.Port);
        Assert.True(await daemon.CheckHealthAsync(Ct));
        using var anonymous = new HttpClient();
        using var refused = await anonymous.PostAsync(new Uri(address, "rc/noop"), new StringContent("{}"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var commandLine = await File.ReadAllTextAsync($"/proc/{pid}/cmdline", Ct);
        Assert.DoesNotContain("--rc-pass", commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain("--rc-user", commandLine, StringComparison.Ordinal);

        await daemon.DisposeAsync();

        await Processes.WaitUntilAsync(() => !Processes.IsRcloneRunning(pid), TimeSpan.FromSeconds(10), $"rclone rcd (pid {pid}) is gone");
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Checks_requests_against_a_private_htpasswd_file_that_goes_away_with_it()
    {
        var daemon = new RcloneDaemon(new RcloneOptions());
        await daemon.StartAsync(Ct);
        var pid = Assert.NotNull(daemon.ProcessId);
        var environment = (await File.ReadAllTextAsync($"/proc/{pid}/environ", Ct)).Split('\0');
        var file = Assert.Single(environment, v => v.StartsWith("RCLONE_RC_HTPASSWD=", StringComparison.Ordinal))["RCLONE_RC_HTPASSWD=".Length..];
        Assert.DoesNotContain(environment, v => v.StartsWith("RCLONE_RC_PASS=", StringComparison.Ordinal));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(file)!));
        Assert.Matches(@"^[0-9a-f]+:\{SHA\}[A-Za-z0-9+/]{27}=\n$", await File.ReadAllTextAsync(file, Ct));
        Assert.True(await daemon.CheckHealthAsync(Ct));

        await daemon.DisposeAsync();

        Assert.False(Directory.Exists(Path.GetDirectoryName(file)));
    }

    [Fact]
    public async Task Starts_on_a_fixed_port_even_when_the_user_silences_rclone()
    {
        var port = FreePort();
        await using var daemon = new RcloneDaemon(new RcloneOptions { Flags = ["-q"], DaemonPort = port });

        var address = await daemon.StartAsync(Ct);

        Assert.Equal(port, address.Port);
        Assert.True(await daemon.CheckHealthAsync(Ct));
    }

    [Fact]
    public async Task A_taken_port_fails_start_up_with_a_clear_error()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var daemon = new RcloneDaemon(new RcloneOptions { DaemonPort = port });

        var error = await Assert.ThrowsAsync<PoolException>(() => daemon.StartAsync(Ct));

        Assert.Equal(PoolErrorKind.Environment, error.Kind);
        Assert.Contains("rclone_daemon_port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rc_flags_in_rclone_flags_are_refused()
    {
        await using var daemon = new RcloneDaemon(new RcloneOptions { Flags = ["--fast-list", "--rc-no-auth"] });

        var error = await Assert.ThrowsAsync<PoolException>(() => daemon.StartAsync(Ct));

        Assert.Equal(PoolErrorKind.BadInput, error.Kind);
        Assert.Contains("rclone_flags", error.Message, StringComparison.Ordinal);
        Assert.Contains("--rc-no-auth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_rclone_says_how_to_install_it()
    {
        await using var daemon = new RcloneDaemon(new RcloneOptions { Binary = "/nonexistent/bin/rclone" });

        var error = await Assert.ThrowsAsync<PoolException>(() => daemon.StartAsync(Ct));

        Assert.Equal(PoolErrorKind.Environment, error.Kind);
        Assert.Contains("apt-get install rclone", error.Message, StringComparison.Ordinal);
        Assert.Contains("rclone_binary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outlives_the_thread_that_started_it()
    {
        // The parent-death signal follows the thread that forked; rclone must not die when that thread ends.
        await using var daemon = new RcloneDaemon(new RcloneOptions());
        var thread = new Thread(() => daemon.StartAsync(CancellationToken.None).GetAwaiter().GetResult());
        thread.Start();
        thread.Join();
        var pid = Assert.NotNull(daemon.ProcessId);
        var exitedThread = new Thread(() => { });
        exitedThread.Start();
        exitedThread.Join();

        Assert.True(await daemon.CheckHealthAsync(Ct));
        Assert.Equal(pid, daemon.ProcessId);
        Assert.True(Processes.IsRcloneRunning(pid));
    }

    [Fact]
    public async Task A_hung_daemon_is_replaced_and_the_call_waiting_on_it_completes()
    {
        var options = new RcloneOptions { HealthCheckInterval = TimeSpan.FromMilliseconds(200), PingTimeout = TimeSpan.FromMilliseconds(500) };
        await using var daemon = new RcloneDaemon(options);
        await using var store = new RcdRemoteStore(daemon, ownsDaemon: false);
        await daemon.StartAsync(Ct);
        var hung = Assert.NotNull(daemon.ProcessId);

        Assert.Equal(0, Native.Kill(hung, 19)); // SIGSTOP: alive, accepting connections, answering nothing.

        // A stray SIGCONT would let it answer (for one, the kernel continues the stopped members of a process group that
        // becomes orphaned, which processes other tests start and end can cause): keep it stopped until the call is answered.
        using var answered = new CancellationTokenSource();
        var keepStopped = Task.Run(async () =>
        {
            while (!answered.IsCancellationRequested)
            {
                Native.Kill(hung, 19);
                await Task.Delay(5, CancellationToken.None); // short: a continued rclone answers an about call within milliseconds
            }
        }, CancellationToken.None);
        var usage = await store.AboutAsync(Path.GetTempPath(), Ct);
        await answered.CancelAsync();
        await keepStopped;

        Assert.NotNull(usage);
        Assert.NotNull(daemon.ProcessId);
        Assert.NotEqual(hung, daemon.ProcessId);
        await Processes.WaitUntilAsync(() => !Processes.IsRcloneRunning(hung), TimeSpan.FromSeconds(10), "the hung daemon is gone");
    }

    [Theory]
    [InlineData(9)]
    [InlineData(15)]
    public async Task Its_rclone_children_die_with_the_process_that_started_them(int signal)
    {
        var scratch = Directory.CreateTempSubdirectory("rclonepool-probe-").FullName;
        try
        {
            var probe = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            probe.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RclonePool.Tests.RcloneProbe.dll"));
            probe.ArgumentList.Add(scratch);
            using var owner = Process.Start(probe)!;
            try
            {
                var daemon = await ReadPidAsync(owner, "daemon");
                var command = await ReadPidAsync(owner, "command");
                // The probe prints a pid as soon as the process exists; on a loaded machine it may take a moment to show
                // up as rclone in /proc.
                await Processes.WaitUntilAsync(
                    () => Processes.IsRcloneRunning(daemon) && Processes.IsRcloneRunning(command),
                    TimeSpan.FromSeconds(10),
                    $"rclone rcd ({daemon}) and rclone rcat ({command}) run under the probe");

                Assert.Equal(0, Native.Kill(owner.Id, signal));

                await owner.WaitForExitAsync(Ct);
                await Processes.WaitUntilAsync(
                    () => !Processes.IsRcloneRunning(daemon) && !Processes.IsRcloneRunning(command),
                    TimeSpan.FromSeconds(10),
                    $"rclone rcd ({daemon}) and rclone rcat ({command}) died with their owner (signal {signal})");
            }
            finally
            {
                if (!owner.HasExited)
                {
                    owner.Kill();
                }
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<int> ReadPidAsync(Process owner, string label)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var line = await owner.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.True(line is not null && line.StartsWith(label + " ", StringComparison.Ordinal),
            $"the probe said \"{line}\" instead of \"{label} PID\"; stderr: {(owner.HasExited ? await owner.StandardError.ReadToEndAsync(Ct) : "")}");
        return int.Parse(line[(label.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
