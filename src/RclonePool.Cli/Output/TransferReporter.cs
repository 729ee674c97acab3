using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using RclonePool.Core;
using Spectre.Console;

namespace RclonePool.Cli.Output;

/// <summary>
/// Runs a transfer with progress: a Spectre.Console display (per file and total, MB/s, ETA) on a terminal,
/// periodic plain lines on stderr otherwise, nothing when disabled; then prints one summary line.
/// </summary>
internal static class TransferReporter
{
    public static async Task<long> RunAsync(string verb, long totalBytes, bool show, Func<ITransferProgress, Task> work)
    {
        var clock = Stopwatch.StartNew();
        var interactive = show && !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        long transferred;
        if (interactive)
        {
            transferred = await RunSpectreAsync(verb, totalBytes, work);
        }
        else
        {
            var plain = new PlainProgress(verb, totalBytes, show);
            try
            {
                await work(plain);
            }
            finally
            {
                plain.Stop();
            }

            transferred = plain.Total;
        }

        Console.Error.WriteLine($"{verb}: {Units.FormatBytes(transferred)} in {clock.Elapsed.TotalSeconds:0.0} s ({Units.FormatRate(transferred, clock.Elapsed)}).");
        return transferred;
    }

    private static async Task<long> RunSpectreAsync(string verb, long totalBytes, Func<ITransferProgress, Task> work)
    {
        long transferred = 0;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var total = context.AddTask($"[bold]{verb} total[/]", maxValue: Math.Max(1, totalBytes));
                var sink = new SpectreProgress(context, total);
                await work(sink);
                total.Value = total.MaxValue;
                transferred = sink.Total;
            });
        return transferred;
    }

    private sealed class SpectreProgress(ProgressContext context, ProgressTask total) : ITransferProgress
    {
        private readonly Lock _lock = new();
        private readonly Dictionary<string, (ProgressTask Task, long Done)> _files = [];
        private long _completed;

        public long Total { get; private set; }

        public IProgress<long> StartFile(string name, long size)
        {
            lock (_lock)
            {
                _files[name] = (context.AddTask(Markup.Escape(Shorten(name)), maxValue: Math.Max(1, size)), 0);
            }

            return new Progress(done =>
            {
                lock (_lock)
                {
                    if (_files.TryGetValue(name, out var file))
                    {
                        file.Task.Value = done;
                        _files[name] = (file.Task, done);
                        Total = _completed + _files.Values.Sum(f => f.Done);
                        total.Value = Total;
                    }
                }
            });
        }

        public void CompleteFile(string name)
        {
            lock (_lock)
            {
                if (_files.Remove(name, out var file))
                {
                    file.Task.Value = file.Task.MaxValue;
                    file.Task.StopTask();
                    _completed += file.Done;
                }
            }
        }

        private static string Shorten(string name) => name.Length <= 40 ? name : "…" + name[^39..];
    }

    private sealed class PlainProgress : ITransferProgress
    {
        private readonly string _verb;
        private readonly long _totalBytes;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Timer? _timer;
        private readonly ConcurrentDictionary<string, StrongBox<long>> _current = new(StringComparer.Ordinal);
        private long _completed;

        public PlainProgress(string verb, long totalBytes, bool show)
        {
            _verb = verb;
            _totalBytes = totalBytes;
            _timer = show ? new Timer(_ => Print(), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)) : null;
        }

        /// <summary>Bytes of completed files plus those of the files in flight (several at once in a directory upload).</summary>
        public long Total => Interlocked.Read(ref _completed) + _current.Values.Sum(f => Interlocked.Read(ref f.Value));

        public IProgress<long> StartFile(string name, long size)
        {
            var done = _current[name] = new StrongBox<long>();
            return new Progress(bytes => Interlocked.Exchange(ref done.Value, bytes));
        }

        public void CompleteFile(string name)
        {
            if (_current.TryRemove(name, out var done))
            {
                Interlocked.Add(ref _completed, Interlocked.Read(ref done.Value));
            }
        }

        public void Stop() => _timer?.Dispose();

        private void Print()
        {
            var done = Total;
            var elapsed = _clock.Elapsed;
            var percent = _totalBytes > 0 ? $" ({100.0 * done / _totalBytes:0}%)" : string.Empty;
            var of = _totalBytes > 0 ? $" / {Units.FormatBytes(_totalBytes)}" : string.Empty;
            var rate = done / Math.Max(elapsed.TotalSeconds, 1e-9);
            var eta = _totalBytes > 0 && rate > 0 ? $" ETA {TimeSpan.FromSeconds(Math.Max(0, (_totalBytes - done) / rate)):hh\\:mm\\:ss}" : string.Empty;
            Console.Error.WriteLine($"{_verb}: {Units.FormatBytes(done)}{of}{percent} {Units.FormatRate(done, elapsed)}{eta}");
        }
    }

    /// <summary>Synchronous IProgress (System.Progress posts to the thread pool and can report out of order).</summary>
    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
