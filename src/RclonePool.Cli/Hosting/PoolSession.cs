using Microsoft.Extensions.Logging;
using RclonePool.Core.Pool;

namespace RclonePool.Cli.Hosting;

/// <summary>
/// An open pool (built with the transport the config asks for) and its loggers; disposing it stops the rclone child,
/// closes the index, then flushes the log lines still queued.
/// </summary>
internal sealed class PoolSession(StoragePool pool, ILoggerFactory loggers) : IAsyncDisposable
{
    public StoragePool Pool { get; } = pool;

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync();
        loggers.Dispose();
    }
}
