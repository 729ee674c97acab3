using RclonePool.Core.IO;
using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Cli;
using RclonePool.Core.Remotes.Rcd;
using RclonePool.Core.Remotes.Rclone;

// Starts an rclone daemon and a long-running rclone command (an upload whose source never ends), prints
// "daemon PID" and "command PID", then waits to be killed. Usage: probe <scratch directory>.
var scratch = args.Length > 0 ? args[0] : Path.GetTempPath();
var commandStarted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
var options = new RcloneOptions { ProcessStarted = pid => commandStarted.TrySetResult(pid) };

await using var daemon = new RcloneDaemon(new RcloneOptions());
await daemon.StartAsync(CancellationToken.None);
Console.WriteLine($"daemon {daemon.ProcessId}");

await using var store = new CliRemoteStore(options);
var upload = store.WriteAsync(new RemotePath(scratch, "never-ending.bin"), new EndlessStream(), -1, CancellationToken.None);
Console.WriteLine($"command {await commandStarted.Task}");
Console.Out.Flush();

await Task.WhenAny(upload, Task.Delay(Timeout.Infinite));

/// <summary>A source that yields a few bytes and then blocks forever.</summary>
internal sealed class EndlessStream : ReadOnlyStream
{
    private bool _gave;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_gave)
        {
            _gave = true;
            buffer.Span[0] = 1;
            return 1;
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }
}
