using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Jobs;

/// <summary>Log messages of the background rebalance of <c>serve</c> (<c>auto_rebalance</c>; event ids 5100–5109).</summary>
internal static partial class AutoRebalanceLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "Auto-rebalance: a check every {Interval}; a rebalance to {Target:0.0} % starts when the utilisation variance is above {Threshold:0.0} % or a remote joins")]
    public static partial void Started(ILogger logger, TimeSpan interval, double target, double threshold);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Auto-rebalance: {Remote} joined the pool")]
    public static partial void Joined(ILogger logger, string remote);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Auto-rebalance starting ({Reason}): utilisation variance {Variance:0.0} %")]
    public static partial void Starting(ILogger logger, string reason, double variance);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Information, Message = "Auto-rebalance done: {Moved} of {Planned} moves, {Bytes} bytes in {Elapsed}; utilisation variance {Before:0.0} % -> {After:0.0} %, {Failed} files failed")]
    public static partial void Done(ILogger logger, int moved, int planned, long bytes, TimeSpan elapsed, double before, double after, int failed);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Auto-rebalance failed ({Kind}): {Reason}; the next check runs in {Interval}")]
    public static partial void Failed(ILogger logger, string kind, string reason, TimeSpan interval);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "Auto-rebalance stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Debug, Message = "Auto-rebalance check: utilisation variance {Variance:0.0} % (threshold {Threshold:0.0} %)")]
    public static partial void Checked(ILogger logger, double variance, double threshold);
}
