using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Remotes.Rclone;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// A remote served by a loopback <c>rclone serve webdav</c> over a local directory, on a fixed port so the test can
/// stop it, start it again (optionally read-only) and the pool's config stays valid; slow it down while it runs
/// (its own remote control's <c>core/bwlimit</c>), or freeze it (SIGSTOP: connections are still accepted by the
/// kernel, but nothing answers). Stopped by pid.
/// </summary>
public sealed class LoopbackWebDav : IAsyncDisposable
{
    private const int SigCont = 18;
    private const int SigStop = 19;

    private RcloneProcess? _process;
    private HeldPort? _held;
    private bool _frozen;

    private LoopbackWebDav(string directory, int port, int controlPort)
    {
        Directory = directory;
        Port = port;
        ControlPort = controlPort;
    }

    /// <summary>The served directory: what the remote holds, for the test to inspect or damage.</summary>
    public string Directory { get; }

    public int Port { get; }

    /// <summary>The server's own rclone remote control (loopback, no auth: a test server only).</summary>
    public int ControlPort { get; }

    public bool Running => _process is { HasExited: false };

    /// <summary>An rclone config section defining this server as remote <paramref name="name"/>.</summary>
    public string ConfigSection(string name) => $"[{name}]\ntype = webdav\nurl = http://127.0.0.1:{Port}/\nvendor = other\n";

    public static async Task<LoopbackWebDav> StartAsync(string directory, bool readOnly = false)
    {
        System.IO.Directory.CreateDirectory(directory);
        var server = new LoopbackWebDav(directory, FreePort(), FreePort());
        await server.StartAgainAsync(readOnly);
        return server;
    }

    /// <summary>Starts the server (again) on its port; waits until it answers.</summary>
    public async Task StartAgainAsync(bool readOnly = false)
    {
        await StopAsync();
        _held?.Dispose();
        _held = null;
        string[] arguments =
        [
            "serve", "webdav", Directory, "--addr", $"127.0.0.1:{Port}", "--rc", "--rc-addr", $"127.0.0.1:{ControlPort}", "--rc-no-auth",
            .. readOnly ? new[] { "--read-only" } : [],
        ];
        _process = await RcloneProcess.StartAsync(new RcloneOptions(), arguments, NullLogger.Instance, drainOutput: true);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await AnswersAsync())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"rclone serve webdav on port {Port} did not start: {string.Join(" | ", _process.ErrorLines)}");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// Limits the server's transfer rate in both directions from now on, transfers in flight included (rclone's
    /// <c>--bwlimit</c> syntax: "512k", "1M"; "off" lifts the limit).
    /// </summary>
    public async Task LimitBandwidthAsync(string rate)
    {
        var (exit, stdout, stderr) = await Support.Tools.RunAsync(
            "rclone", ["rc", "--url", $"http://127.0.0.1:{ControlPort}/", "core/bwlimit", $"rate={rate}"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"rclone rc core/bwlimit rate={rate} failed: {stdout} {stderr}");
    }

    /// <summary>Freezes the server (SIGSTOP): it hangs, neither answering nor refusing, until <see cref="Thaw"/>.</summary>
    public void Freeze()
    {
        Assert.True(_process is { HasExited: false }, "the server is not running");
        Assert.Equal(0, Remotes.Native.Kill(_process!.Id, SigStop));
        _frozen = true;
    }

    /// <summary>Lets a frozen server run again (SIGCONT).</summary>
    public void Thaw()
    {
        if (_frozen && _process is { } process)
        {
            Remotes.Native.Kill(process.Id, SigCont);
        }

        _frozen = false;
    }

    /// <summary>
    /// Kills the server by its pid and waits until it is gone: the remote refuses connections from now on (its port is
    /// held, so no other server can take it meanwhile).
    /// </summary>
    public async Task StopAsync()
    {
        Thaw();
        if (_process is { } process)
        {
            _process = null;
            await process.DisposeAsync();
            _held = HeldPort.Hold(Port);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _held?.Dispose();
        _held = null;
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, TestContext.Current.CancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
