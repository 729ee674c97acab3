namespace RclonePool.Core.Index;

/// <summary>
/// An optional ability of an index that several processes share over a network (PostgreSQL): exclusive locks on pool
/// paths that hold across every process using the index, so that two gateways writing one path one after the other
/// each derive their revision from the other's result. <see cref="Pool.PathLocks"/> takes them after its in-process ones.
/// </summary>
public interface ISharedPathLocks
{
    /// <summary>Waits for the paths (in ordinal order), holds them until the result is disposed.</summary>
    ValueTask<IDisposable> LockPathsAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken);
}
