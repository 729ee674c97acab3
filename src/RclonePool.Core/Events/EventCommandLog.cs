using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Events;

/// <summary>Log messages of <c>event_commands</c> (event ids 6430–6439).</summary>
internal static partial class EventCommandLog
{
    [LoggerMessage(EventId = 6430, Level = LogLevel.Information, Message = "event command for {Hook} ({Program}) said: {Output}")]
    public static partial void Output(ILogger logger, string hook, string program, string output);

    [LoggerMessage(EventId = 6431, Level = LogLevel.Warning, Message = "event command for {Hook} ({Program}) exited with code {Code}: {Output}")]
    public static partial void Failed(ILogger logger, string hook, string program, int code, string output);

    [LoggerMessage(EventId = 6432, Level = LogLevel.Warning, Message = "event command for {Hook} ({Program}) ran longer than {Seconds} s (event_command_timeout) and was stopped")]
    public static partial void TimedOut(ILogger logger, string hook, string program, double seconds);

    [LoggerMessage(EventId = 6433, Level = LogLevel.Warning, Message = "event command for {Hook} cannot start {Program}: {Reason}. Check event_commands: the first item is the program (a path, or a name on PATH), the others its arguments")]
    public static partial void CannotStart(ILogger logger, string hook, string program, string reason);

    [LoggerMessage(EventId = 6434, Level = LogLevel.Warning, Message = "event commands fell behind: {Dropped} events were not handed to their command (the queue holds {Capacity})")]
    public static partial void Dropped(ILogger logger, long dropped, int capacity);

    [LoggerMessage(EventId = 6435, Level = LogLevel.Debug, Message = "event command for {Hook} ({Program}) finished in {Milliseconds} ms")]
    public static partial void Finished(ILogger logger, string hook, string program, long milliseconds);
}
