using Microsoft.Extensions.Logging;
using RclonePool.Core.Pool.Writing;

namespace RclonePool.Tests.Unit.Pool;

/// <summary>
/// The log of stored files: a line each at Information for a command; in a server, each at Debug and a summary of what
/// was stored at Information once per interval, and when the pool closes.
/// </summary>
public sealed class StoredFilesLogTests
{
    [Fact]
    public void A_command_logs_each_stored_file_at_information_and_no_summary()
    {
        var logger = new Lines();
        var clock = new TimerClock();
        var log = new StoredFilesLog(logger, clock, summarize: false);

        log.Stored("/a.txt", 100, 1, 1);
        log.Stored("/b.txt", 200, 1, 2);
        log.Summarize();

        Assert.Equal(
            [(LogLevel.Information, 2001, "Stored /a.txt (100 bytes, 1 chunks, revision 1)."), (LogLevel.Information, 2001, "Stored /b.txt (200 bytes, 1 chunks, revision 2).")],
            logger.Entries);
        Assert.Equal(0, clock.TimersCreated);
    }

    [Fact]
    public void A_server_logs_each_file_at_debug_and_one_summary_per_interval()
    {
        var logger = new Lines();
        var clock = new TimerClock();
        var log = new StoredFilesLog(logger, clock, summarize: true);

        log.Stored("/s/1.txt", 100, 1, 1);
        clock.Advance(TimeSpan.FromSeconds(4));
        log.Stored("/s/2.txt", 100, 1, 1);
        log.Stored("/s/3.txt", 50, 1, 1);

        // One timer for the interval, armed by the first file; nothing at Information before it fires.
        Assert.Equal(1, clock.TimersCreated);
        Assert.Equal(StoredFilesLog.SummaryInterval, clock.LastDueTime);
        Assert.All(logger.Entries, e => Assert.Equal((LogLevel.Debug, 2001), (e.Level, e.Id)));
        Assert.Equal(3, logger.Entries.Count);

        clock.Advance(TimeSpan.FromSeconds(6));
        clock.Fire();
        var summary = Assert.Single(logger.Entries, e => e.Level == LogLevel.Information);
        Assert.Equal((2004, "Files stored in the last 10 s: 3 (250 bytes)."), (summary.Id, summary.Message));

        // Nothing more stored: no second summary; the next file arms a new timer.
        log.Summarize();
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Information);
        log.Stored("/s/4.txt", 7, 1, 1);
        Assert.Equal(2, clock.TimersCreated);
    }

    [Fact]
    public void A_server_closing_logs_the_summary_of_files_not_yet_summarised()
    {
        var logger = new Lines();
        var clock = new TimerClock();
        var log = new StoredFilesLog(logger, clock, summarize: true);

        log.Stored("/s/1.txt", 100, 1, 1);
        clock.Advance(TimeSpan.FromSeconds(2));
        log.Summarize();

        Assert.Contains(logger.Entries, e => e == (LogLevel.Information, 2004, "Files stored in the last 2 s: 1 (100 bytes)."));
        Assert.True(clock.TimerDisposed);
    }

    [Fact]
    public void A_server_logging_only_warnings_keeps_no_count()
    {
        var logger = new Lines(LogLevel.Warning);
        var clock = new TimerClock();
        var log = new StoredFilesLog(logger, clock, summarize: true);

        log.Stored("/s/1.txt", 100, 1, 1);
        log.Summarize();

        Assert.Empty(logger.Entries);
        Assert.Equal(0, clock.TimersCreated);
    }

    private sealed class Lines(LogLevel minimum = LogLevel.Trace) : ILogger
    {
        public List<(LogLevel Level, int Id, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Entries.Add((logLevel, eventId.Id, formatter(state, exception)));
            }
        }
    }

    /// <summary>A clock whose time and timers move only when the test says so.</summary>
    private sealed class TimerClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        private (TimerCallback Callback, object? State)? _last;

        public int TimersCreated { get; private set; }

        public TimeSpan LastDueTime { get; private set; }

        public bool TimerDisposed { get; private set; }

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;

        public void Fire() => _last!.Value.Callback(_last.Value.State);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            TimersCreated++;
            LastDueTime = dueTime;
            _last = (callback, state);
            return new Timer(this);
        }

        private sealed class Timer(TimerClock owner) : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose() => owner.TimerDisposed = true;

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
