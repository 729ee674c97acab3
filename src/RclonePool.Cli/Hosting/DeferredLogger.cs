using Microsoft.Extensions.Logging;

namespace RclonePool.Cli.Hosting;

/// <summary>
/// A logger that builds the console logging (a logger factory, its options and its writer thread) only when a line is
/// written. A quick read-only command usually logs nothing, and building the logging costs more than such a command
/// (about 30 ms of a 10,000-entry <c>ls</c>). Disposing it flushes what was written.
/// </summary>
internal sealed class DeferredLogger(Func<ILoggerFactory> create, string category, LogLevel minimum) : ILogger, IDisposable
{
    private ILoggerFactory? _factory;
    private ILogger? _logger;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => Logger.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Logger.Log(logLevel, eventId, state, exception, formatter);
        }
    }

    public void Dispose() => _factory?.Dispose();

    private ILogger Logger => _logger ??= (_factory = create()).CreateLogger(category);
}
