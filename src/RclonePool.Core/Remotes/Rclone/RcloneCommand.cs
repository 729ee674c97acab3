using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>Runs one short rclone command to its end (stat, about, delete, move, listremotes), bounded by the call timeout.</summary>
internal static class RcloneCommand
{
    public static async Task<RcloneCommandResult> RunAsync(
        RcloneOptions options,
        IReadOnlyList<string> arguments,
        ILogger logger,
        RcloneCall call,
        CancellationToken cancellationToken)
    {
        var limit = options.CallTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        await using var process = await RcloneProcess.StartAsync(options, arguments, logger);
        await using var kill = timeout.Token.Register(process.Kill);
        try
        {
            using var output = new MemoryStream();
            await process.Output.CopyToAsync(output, timeout.Token);
            var exitCode = await process.WaitForExitAsync(timeout.Token);
            return new RcloneCommandResult(exitCode, output.ToArray(), process.ErrorLines);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw call.TimedOut(limit);
        }
        catch (IOException) when (timeout.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw call.TimedOut(limit);
        }
    }
}
