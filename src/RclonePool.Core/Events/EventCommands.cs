using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;

namespace RclonePool.Core.Events;

/// <summary>
/// <c>event_commands</c>: runs the user's command for a hook with the event as one JSON object (<see cref="EventJson"/>)
/// on stdin. The commands run one at a time off the pool's path, fed by a bounded queue (<see cref="QueueCapacity"/>;
/// when it is full the oldest events are dropped and counted), so a slow command never slows the pool. Each run is
/// stopped (with its children) after <c>event_command_timeout</c>; what it prints is logged, a non-zero exit at Warning.
/// Disposing runs what is queued, each still within the time-out, so a CLI command's last events are not lost.
/// </summary>
public sealed class EventCommands : IAsyncDisposable
{
    public const int QueueCapacity = 256;
    private const int OutputLimit = 4096;

    private readonly IReadOnlyDictionary<PoolEventType, IReadOnlyList<string>> _commands;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly PoolEventBus.Subscription _subscription;

    public EventCommands(PoolEventBus events, IReadOnlyDictionary<string, List<string>> commands, TimeSpan timeout, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(commands);
        _commands = Enum.GetValues<PoolEventType>()
            .Where(t => commands.TryGetValue(t.HookName(), out var argv) && argv.Count > 0)
            .ToDictionary(t => t, t => (IReadOnlyList<string>)commands[t.HookName()]);
        _timeout = timeout;
        _logger = logger;
        // The subscription's pump hands over one event at a time and waits for its task: the commands run one at a time.
        _subscription = events.SubscribeBuffered(RunAsync, QueueCapacity, [.. _commands.Keys]);
    }

    /// <summary>The <c>event_commands</c> of <paramref name="config"/> on <paramref name="events"/>, or null when it has none.</summary>
    public static EventCommands? FromConfig(PoolConfig config, PoolEventBus events, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.EventCommands.Count == 0 ? null : new EventCommands(events, config.EventCommands, TimeSpan.FromSeconds(config.EventCommandTimeout), logger);
    }

    /// <summary>Events lost because the queue was full.</summary>
    public long Dropped => _subscription.Dropped;

    private async Task RunAsync(PoolEvent poolEvent)
    {
        var argv = _commands[poolEvent.Type];
        var hook = poolEvent.Type.HookName();
        var program = argv[0];
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["RCLONEPOOL_HOOK"] = hook;
        start.Environment.Remove("NOTIFY_SOCKET"); // only rclonepool's host talks to the service manager
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            EventCommandLog.CannotStart(_logger, hook, program, e.Message);
            return;
        }

        using var limit = new CancellationTokenSource(_timeout);
        var stdout = ReadTailAsync(process.StandardOutput);
        var stderr = ReadTailAsync(process.StandardError);
        try
        {
            try
            {
                await process.StandardInput.BaseStream.WriteAsync(EventJson.Serialize(poolEvent), limit.Token);
                await process.StandardInput.BaseStream.WriteAsync("\n"u8.ToArray(), limit.Token);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command does not read stdin (it exited, or closed it): that is its choice.
            }

            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            Kill(process);
            EventCommandLog.TimedOut(_logger, hook, program, _timeout.TotalSeconds);
            return;
        }

        var output = Join(await stdout, await stderr);
        if (process.ExitCode != 0)
        {
            EventCommandLog.Failed(_logger, hook, program, process.ExitCode, output.Length == 0 ? "(no output)" : output);
        }
        else if (output.Length > 0)
        {
            EventCommandLog.Output(_logger, hook, program, output);
        }

        EventCommandLog.Finished(_logger, hook, program, clock.ElapsedMilliseconds);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }

    /// <summary>Reads a stream to its end, keeping the last <see cref="OutputLimit"/> characters.</summary>
    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var buffer = new char[1024];
        int read;
        try
        {
            while ((read = await reader.ReadAsync(buffer)) > 0)
            {
                tail.Append(buffer, 0, read);
                if (tail.Length > OutputLimit)
                {
                    tail.Remove(0, tail.Length - OutputLimit);
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke when the command was stopped: what arrived is kept.
        }

        return tail.ToString();
    }

    private static string Join(string stdout, string stderr) =>
        string.Join(" | ", new[] { stdout.Trim(), stderr.Trim() }.Where(s => s.Length > 0)).ReplaceLineEndings(" ");

    public async ValueTask DisposeAsync()
    {
        await _subscription.DisposeAsync();
        if (_subscription.Dropped > 0)
        {
            EventCommandLog.Dropped(_logger, _subscription.Dropped, QueueCapacity);
        }
    }
}
