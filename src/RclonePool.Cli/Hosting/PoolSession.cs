using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;

namespace RclonePool.Cli.Hosting;

/// <summary>An open pool with the transport it uses; disposing it stops the rclone child and closes the index.</summary>
internal sealed class PoolSession(StoragePool pool, IRemoteStore store) : IAsyncDisposable
{
    public StoragePool Pool { get; } = pool;

    public IRemoteStore Store { get; } = store;

    public async ValueTask DisposeAsync()
    {
        await Pool.Index.DisposeAsync();
        await Store.DisposeAsync();
    }
}
