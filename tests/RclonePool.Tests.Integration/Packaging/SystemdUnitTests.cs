using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Packaging;

/// <summary>
/// packaging/systemd/rclonepool@.service: systemd-analyze verify accepts it, systemd-analyze security rates it OK or
/// better, and rclonepool speaks the Type=notify protocol (READY=1 once listening, STOPPING=1 on SIGTERM).
/// </summary>
public sealed partial class SystemdUnitTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("systemd-unit-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Systemd_analyze_verify_accepts_the_unit()
    {
        var unit = Instance();
        var (exit, stdout, stderr) = await Tools.RunAsync(Tools.Require("systemd-analyze"), ["verify", unit], _dir.FullName);
        Assert.True(exit == 0 && (stdout + stderr).Trim().Length == 0, $"systemd-analyze verify exited {exit}:\n{stdout}{stderr}");
    }

    [Fact]
    public async Task Systemd_analyze_security_rates_the_unit_ok_or_better()
    {
        var unit = Instance();
        var (exit, stdout, stderr) = await Tools.RunAsync(Tools.Require("systemd-analyze"), ["security", "--offline=true", "--no-pager", unit], _dir.FullName);
        var overall = Overall().Match(stdout);
        Assert.True(overall.Success, $"systemd-analyze security exited {exit} without an overall rating:\n{stdout}{stderr}");
        var score = double.Parse(overall.Groups[1].Value, CultureInfo.InvariantCulture);
        TestContext.Current.TestOutputHelper?.WriteLine(overall.Value);
        Assert.Contains(overall.Groups[2].Value, new[] { "OK", "SAFE", "PERFECT" });
        Assert.True(score <= 2.0, overall.Value);
    }

    [Fact]
    public void The_unit_is_a_hardened_notify_service_that_restarts_on_failure()
    {
        var text = File.ReadAllText(Repository.File("packaging", "systemd", "rclonepool@.service"));
        foreach (var line in new[]
        {
            "Type=notify", "User=%i", "Restart=on-failure", "ProtectSystem=strict", "ProtectHome=read-only", "NoNewPrivileges=yes", "PrivateTmp=yes",
            "CapabilityBoundingSet=\n", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service", "MemoryMax=",
            "ReadWritePaths=-/home/%i/.config/rclonepool",
        })
        {
            Assert.Contains(line, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Serve_tells_systemd_when_it_is_ready_and_when_it_stops()
    {
        // Microsoft.Extensions.Hosting.Systemd talks to systemd when its parent is systemd, or when it is process 1 with
        // NOTIFY_SOCKET set (a container). Here: process 1 of a new PID namespace, and the test as the service manager.
        var probe = await Tools.RunAsync("/usr/bin/unshare", ["--pid", "--fork", "true"]);
        if (probe.ExitCode != 0)
        {
            Assert.Skip($"The notify protocol is tested with serve as process 1 of a PID namespace (unshare --pid), and this machine refuses it: {probe.Stderr.Trim()}");
        }

        await using var pool = await LocalPool.CreateAsync();
        var socketPath = Path.Combine(_dir.FullName, "notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var start = new ProcessStartInfo("/usr/bin/unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--pid", "--fork", "--kill-child=SIGTERM", "dotnet", CliRunner.CliAssembly, "--config", pool.ConfigPath, "serve", "--port", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["NOTIFY_SOCKET"] = socketPath;
        start.Environment.Remove("RCLONEPOOL_CONFIG");
        using var serve = Process.Start(start)!;
        var output = serve.StandardOutput.ReadToEndAsync(Ct);
        var errors = serve.StandardError.ReadToEndAsync(Ct);
        try
        {
            var ready = await ReceiveAsync(socket, TimeSpan.FromSeconds(60));
            Assert.Contains("READY=1", ready, StringComparison.Ordinal);

            serve.Kill(); // unshare dies; the kernel sends SIGTERM to serve, as systemctl stop would
            var stopping = await ReceiveAsync(socket, TimeSpan.FromSeconds(30));
            Assert.Contains("STOPPING=1", stopping, StringComparison.Ordinal);
        }
        catch (Exception) when (DumpOnFailure(serve, output, errors))
        {
            throw;
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
            }
        }
    }

    private static bool DumpOnFailure(Process serve, Task<string> output, Task<string> errors)
    {
        if (serve.HasExited)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"serve: {output.Result}\n{errors.Result}");
        }

        return false;
    }

    private static async Task<string> ReceiveAsync(Socket socket, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(timeout);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        return Encoding.UTF8.GetString(buffer, 0, received);
    }

    /// <summary>The unit as the instance rclonepool@alice, its ExecStart pointing at the built CLI (verify checks that it is executable).</summary>
    private string Instance()
    {
        var text = File.ReadAllText(Repository.File("packaging", "systemd", "rclonepool@.service"));
        var cli = Path.Combine(AppContext.BaseDirectory, "rclonepool");
        var path = Path.Combine(_dir.FullName, "rclonepool@alice.service");
        File.WriteAllText(path, text.Replace("/usr/local/bin/rclonepool", cli, StringComparison.Ordinal));
        return path;
    }

    [GeneratedRegex(@"Overall exposure level for \S+: ([0-9.]+) (\w+)")]
    private static partial Regex Overall();
}
