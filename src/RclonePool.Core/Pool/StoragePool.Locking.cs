using RclonePool.Core.Paths;

namespace RclonePool.Core.Pool;

/// <summary>The public mutations: each holds the in-process locks of the paths it changes, then does the work.</summary>
public sealed partial class StoragePool
{
    private readonly PathLocks _locks = new();

    public async Task<PoolEntry> PutAsync(PoolPath path, Stream content, long length, PutOptions options, CancellationToken cancellationToken)
    {
        using (await _locks.AcquireAsync([path.Value], cancellationToken))
        {
            return await PutCoreAsync(path, content, length, options, cancellationToken);
        }
    }

    public async Task DeleteAsync(PoolPath path, bool recursive, CancellationToken cancellationToken)
    {
        using (await _locks.AcquireAsync([path.Value], cancellationToken))
        {
            await DeleteCoreAsync(path, recursive, cancellationToken);
        }
    }

    public async Task MoveAsync(PoolPath from, PoolPath to, bool overwrite, CancellationToken cancellationToken)
    {
        using (await _locks.AcquireAsync([from.Value, to.Value], cancellationToken))
        {
            await MoveCoreAsync(from, to, overwrite, cancellationToken);
        }
    }

    public async Task CopyAsync(PoolPath from, PoolPath to, bool overwrite, CancellationToken cancellationToken)
    {
        using (await _locks.AcquireAsync([to.Value], cancellationToken))
        {
            await CopyCoreAsync(from, to, overwrite, cancellationToken);
        }
    }

    public async Task MkdirAsync(PoolPath path, CancellationToken cancellationToken)
    {
        using (await _locks.AcquireAsync([path.Value], cancellationToken))
        {
            await MkdirCoreAsync(path, cancellationToken);
        }
    }

    public async Task SetPropertiesAsync(PoolPath path, IReadOnlyDictionary<string, string?> changes, CancellationToken cancellationToken)
    {
        using (await _locks.AcquireAsync([path.Value], cancellationToken))
        {
            await SetPropertiesCoreAsync(path, changes, cancellationToken);
        }
    }
}
