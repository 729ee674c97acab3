using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Remotes.Rclone;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Remotes;

/// <summary>A loopback <c>rclone serve webdav</c> over a local directory, on a port the OS picks; a test can stop it to break the remote.</summary>
public sealed partial class WebDavServer : IAsyncDisposable
{
    private readonly RcloneProcess _process;
    private HeldPort? _held;

    private WebDavServer(RcloneProcess process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>The remote as an rclone connection string (no config needed).</summary>
    public string ConnectionString => $":webdav,url='{Address}':";

    /// <summary>An rclone config section defining this server as remote <paramref name="name"/>.</summary>
    public string ConfigSection(string name) => $"[{name}]\ntype = webdav\nurl = {Address}\nvendor = other\n";

    public static async Task<WebDavServer> StartAsync(string directory, string configFile)
    {
        Directory.CreateDirectory(directory);
        var announced = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new RcloneOptions { Environment = new Dictionary<string, string?> { ["RCLONE_CONFIG"] = configFile } };
        var process = await RcloneProcess.StartAsync(
            options,
            ["serve", "webdav", directory, "--addr", "127.0.0.1:0"],
            NullLogger.Instance,
            drainOutput: true,
            onErrorLine: line =>
            {
                var match = Started().Match(line);
                if (match.Success)
                {
                    announced.TrySetResult(new Uri(match.Groups[1].Value));
                }
            });
        var exited = process.WaitForExitAsync(CancellationToken.None);
        var first = await Task.WhenAny(announced.Task, exited, Task.Delay(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        if (first != announced.Task)
        {
            var said = string.Join(" | ", process.ErrorLines);
            await process.DisposeAsync();
            Assert.Fail($"rclone serve webdav did not start: {said}");
        }

        return new WebDavServer(process, announced.Task.Result);
    }

    /// <summary>Kills the server (by its pid) and waits until it is gone; its port is held, so connections are refused.</summary>
    public async Task StopAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(CancellationToken.None);
        _held ??= HeldPort.Hold(Address.Port);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        _held?.Dispose();
    }

    // "... WebDav Server started on http://127.0.0.1:46235/"
    [GeneratedRegex(@"started on (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex Started();
}
