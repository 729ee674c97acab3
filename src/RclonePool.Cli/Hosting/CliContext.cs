using System.CommandLine;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Pool;
using RclonePool.Core.Quotas;

namespace RclonePool.Cli.Hosting;

/// <summary>What a command needs from the global options: the config, logging, and the open pool.</summary>
internal sealed class CliContext
{
    private readonly ParseResult _parse;
    private PoolConfig? _config;

    public CliContext(ParseResult parse)
    {
        _parse = parse;
        Verbose = parse.GetValue(GlobalOptions.Verbose);
    }

    public bool Verbose { get; }

    /// <summary>Where the config file is (--config, RCLONEPOOL_CONFIG or the default); it may not exist yet.</summary>
    public ConfigLocation ConfigLocation => ConfigLoader.Locate(_parse.GetValue(GlobalOptions.Config));

    /// <summary>Uses a config built in code (init, quickstart) instead of loading one.</summary>
    public void UseConfig(PoolConfig config)
    {
        ApplyBandwidthOverrides(config);
        _config = config;
    }

    public PoolConfig Config => _config ??= LoadConfig();

    public bool ShowProgress => !_parse.GetValue(GlobalOptions.NoProgress) && Config.ShowProgress;

    /// <summary>
    /// Set by a command that reports many files by its progress and summary lines instead (an upload of a directory):
    /// the information lines of the pool (one per stored file) are left out; warnings and errors still show, and
    /// everything does with --verbose.
    /// </summary>
    public bool SummarizeFiles { get; set; }

    /// <summary>The lowest level that is logged: Debug with --verbose, else the config's log_level.</summary>
    public LogLevel MinimumLogLevel(PoolConfig? config = null) => Verbose ? LogLevel.Debug : LogLevelNames.ToLogLevel((config ?? _config)?.LogLevel);

    public ILoggerFactory CreateLoggerFactory(PoolConfig? config = null) => LoggerFactory.Create(builder =>
    {
        var minimum = MinimumLogLevel(config);
        builder.SetMinimumLevel(minimum);

        // (A filter rule replaces the minimum level for the categories it covers: it checks the minimum itself.)
        builder.AddFilter((_, level) => level >= minimum && (Verbose || level >= LogLevel.Warning || !SummarizeFiles));
        if (!Verbose)
        {
            // ASP.NET Core's own lines (two per request, start-up banners) are not the pool's: only its warnings show,
            // as in ASP.NET's default appsettings; 'serve' prints where it listens itself.
            builder.AddFilter("Microsoft", LogLevel.Warning);
        }

        builder.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = Verbose ? "HH:mm:ss.fff " : "HH:mm:ss "; // --verbose is for finding where time goes
        });
        builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    });

    /// <summary>The quota of the --user pool being acted on, or null without --user.</summary>
    public QuotaLimits? Quota { get; private set; }

    private PoolConfig LoadConfig()
    {
        var config = ConfigLoader.Load(_parse.GetValue(GlobalOptions.Config));
        if (_parse.GetValue(GlobalOptions.User) is { } user)
        {
            (config, Quota) = UserConfig.Load(config, user);
        }

        ApplyBandwidthOverrides(config);
        var inactive = ConfigKeys.InactiveKeysInUse(config);
        if (inactive.Count > 0)
        {
            Console.Error.WriteLine($"rclonepool: note: {string.Join(", ", inactive.Select(k => k.Name))} {(inactive.Count == 1 ? "is" : "are")} accepted but not active in this version (see docs/configuration.md).");
        }

        return config;
    }

    public Task<PoolSession> OpenPoolAsync(CancellationToken cancellationToken) => OpenPoolAsync(writes: false, serving: false, cancellationToken);

    /// <summary>Opens the pool for <c>serve</c>: clients each wait for their own write (<see cref="PoolBuilder.ServeClients"/>).</summary>
    public Task<PoolSession> OpenPoolForServingAsync(CancellationToken cancellationToken) => OpenPoolAsync(writes: false, serving: true, cancellationToken);

    /// <summary>Opens the pool for a command about to store data: the remotes' free space is asked while the pool opens.</summary>
    public Task<PoolSession> OpenPoolForWritesAsync(CancellationToken cancellationToken) => OpenPoolAsync(writes: true, serving: false, cancellationToken);

    private async Task<PoolSession> OpenPoolAsync(bool writes, bool serving, CancellationToken cancellationToken)
    {
        var config = Config;
        var loggerFactory = CreateLoggerFactory(config);
        try
        {
            var builder = new PoolBuilder(config).UseLoggerFactory(loggerFactory);
            if (writes)
            {
                builder.MeasureFreeSpaceAhead();
            }

            if (serving)
            {
                builder.ServeClients();
            }

            if (Quota is not null)
            {
                builder.UseQuota(Quota);
            }

            var pool = await builder.OpenAsync(cancellationToken);
            return new PoolSession(pool, loggerFactory);
        }
        catch
        {
            loggerFactory.Dispose();
            throw;
        }
    }

    /// <summary>--bwlimit-up and --bwlimit-down win over the config's bandwidth limits for this command.</summary>
    private void ApplyBandwidthOverrides(PoolConfig config)
    {
        foreach (var (option, key) in new[] { (GlobalOptions.BandwidthLimitUpload, "--bwlimit-up"), (GlobalOptions.BandwidthLimitDownload, "--bwlimit-down") })
        {
            if (_parse.GetValue(option) is { } value && (!(value >= 0) || double.IsInfinity(value)))
            {
                throw new Core.Errors.PoolException(Core.Errors.PoolErrorKind.BadInput, $"{key} is {value}; give megabits per second, 0 or more (0 is unlimited).");
            }
        }

        config.BandwidthLimitUploadMbps = _parse.GetValue(GlobalOptions.BandwidthLimitUpload) ?? config.BandwidthLimitUploadMbps;
        config.BandwidthLimitDownloadMbps = _parse.GetValue(GlobalOptions.BandwidthLimitDownload) ?? config.BandwidthLimitDownloadMbps;
    }
}
