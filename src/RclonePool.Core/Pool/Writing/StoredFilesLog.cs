using Microsoft.Extensions.Logging;

namespace RclonePool.Core.Pool.Writing;

/// <summary>
/// What the log says about stored files. A command that stores a few files logs a line per file at Information (event
/// 2001). A server (<see cref="PoolBuilder.ServeClients"/>) logs that line at Debug and, at Information, one summary per
/// <see cref="SummaryInterval"/> in which files were stored (event 2004): a client writing thousands of small files
/// would otherwise get a line each, and the console logger's thread woken for every one.
/// </summary>
internal sealed class StoredFilesLog(ILogger logger, TimeProvider time, bool summarize)
{
    /// <summary>How long after the first file a summary covers it: a burst of PUTs gets one line per interval.</summary>
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private long _files, _bytes;
    private DateTimeOffset _since;
    private ITimer? _timer;

    /// <summary>True when stored files are summarised rather than logged one by one at Information.</summary>
    public bool Summarizes => summarize;

    public void Stored(string path, long size, int chunks, long revision)
    {
        if (!summarize)
        {
            PoolLog.Stored(logger, LogLevel.Information, path, size, chunks, revision);
            return;
        }

        PoolLog.Stored(logger, LogLevel.Debug, path, size, chunks, revision);
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        lock (_gate)
        {
            if (_files++ == 0)
            {
                _since = time.GetUtcNow();
                _timer = time.CreateTimer(_ => Summarize(), null, SummaryInterval, Timeout.InfiniteTimeSpan);
            }

            _bytes += size;
        }
    }

    /// <summary>Logs the summary of the files stored since the last one (nothing when none was): at the interval, and when the pool closes.</summary>
    public void Summarize()
    {
        long files, bytes;
        DateTimeOffset since;
        lock (_gate)
        {
            (files, bytes, since) = (_files, _bytes, _since);
            (_files, _bytes) = (0, 0);
            _timer?.Dispose();
            _timer = null;
        }

        if (files > 0)
        {
            try
            {
                PoolLog.StoredSummary(logger, files, bytes, (time.GetUtcNow() - since).TotalSeconds);
            }
            catch (ObjectDisposedException)
            {
                // The logging was shut down before the pool: nothing to write to.
            }
        }
    }
}
