using RclonePool.Core.Pool;

namespace RclonePool.Cli.Hosting;

/// <summary>An open pool (built with the transport the config asks for); disposing it stops the rclone child and closes the index.</summary>
internal sealed class PoolSession(StoragePool pool) : IAsyncDisposable
{
    public StoragePool Pool { get; } = pool;

    public ValueTask DisposeAsync() => Pool.DisposeAsync();
}
