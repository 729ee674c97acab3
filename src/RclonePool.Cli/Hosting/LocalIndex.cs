using RclonePool.Core.Index;
using RclonePool.Core.Pool;

namespace RclonePool.Cli.Hosting;

/// <summary>
/// The pool's local index opened on its own, for a command that only reads it (<c>ls</c>): found from the config by
/// <see cref="IndexLocator"/>, without starting rclone, reading the remotes' descriptors, loading plugins or building the
/// pool. When that cannot answer (PostgreSQL, the cache off, a pool not opened on this machine yet, an index that is
/// empty or was recreated), the caller opens the pool as every other command does, which loads the index.
/// </summary>
internal sealed class LocalIndex : IAsyncDisposable
{
    private readonly DeferredLogger _logger;

    private LocalIndex(SqlitePoolIndex index, DeferredLogger logger)
    {
        Index = index;
        _logger = logger;
    }

    public SqlitePoolIndex Index { get; }

    /// <summary>The index when it can answer alone; null when the pool must be opened.</summary>
    public static async Task<LocalIndex?> TryOpenAsync(CliContext context, CancellationToken cancellationToken)
    {
        var config = context.Config;
        if (IndexLocator.TryLocate(config) is not { } path)
        {
            return null;
        }

        // Its open logs only when it had to recreate an unusable file (then it is empty and the pool loads it).
        var logger = new DeferredLogger(() => context.CreateLoggerFactory(config), "rclonepool.index", context.MinimumLogLevel(config));
        SqlitePoolIndex? index = null;
        try
        {
            index = await SqlitePoolIndex.OpenAsync(path, logger: logger, cancellationToken: cancellationToken);
            if (await index.IsPopulatedAsync(cancellationToken))
            {
                if (context.Verbose)
                {
                    Console.Error.WriteLine($"rclonepool: reading the index {path} alone (the remotes are not asked).");
                }

                return new LocalIndex(index, logger);
            }
        }
        catch
        {
            await DisposeAsync(index, logger);
            throw;
        }

        await DisposeAsync(index, logger);
        return null;
    }

    public ValueTask DisposeAsync() => DisposeAsync(Index, _logger);

    private static async ValueTask DisposeAsync(SqlitePoolIndex? index, DeferredLogger logger)
    {
        if (index is not null)
        {
            await index.DisposeAsync();
        }

        logger.Dispose();
    }
}
