using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>
/// How <c>orphans --delete</c> removes content-addressed chunk objects without racing an upload that decides to reuse
/// one (docs/efficiency.md): it first moves each out of the way (<see cref="PoolLayout.SweptDirectory"/>), then reads the
/// claims and manifests again, and only then removes what nothing names, moving back what something now does. An upload
/// that found the object before the move had written its claim before that, so the read after the move sees the claim,
/// or the manifest that replaced it; an upload that looks after the move does not find the object and writes it itself.
/// Objects a stopped sweep left aside are settled the same way by the next one.
/// </summary>
internal sealed class SweptObjects(PoolContext pool)
{
    /// <summary>Moves each object aside; returns those moved (one that cannot be moved stays where it is, for a later run).</summary>
    public async Task<List<SetAsideObject>> SetAsideAsync(IEnumerable<OrphanObject> objects, IReadOnlyDictionary<string, PoolRemote> remotes, CancellationToken cancellationToken)
    {
        var moved = new List<SetAsideObject>();
        await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = PoolContext.MetadataParallelism, CancellationToken = cancellationToken }, async (o, ct) =>
        {
            var remote = remotes[o.Remote];
            var aside = pool.Layout.SweptObject(remote, o.Object[(o.Object.LastIndexOf('/') + 1)..]);
            try
            {
                await pool.Store.MoveAsync(new RemotePath(remote.Storage, o.Object), aside, ct);
            }
            catch (PoolException e)
            {
                if (e.Kind is not PoolErrorKind.NotFound)
                {
                    pool.Logger.LogWarning("The orphan chunk object {Object} on {Remote} could not be set aside ({Error}); it stays for a later run.", o.Object, o.Remote, e.Message);
                }

                return; // or gone already (another sweep)
            }

            lock (moved)
            {
                moved.Add(new SetAsideObject(remote, o.Object, aside, o.Size));
            }
        });
        return moved;
    }

    /// <summary>Objects an earlier sweep moved aside and was stopped before it settled them.</summary>
    public async Task<List<SetAsideObject>> LeftoversAsync(IEnumerable<PoolRemote> remotes, CancellationToken cancellationToken)
    {
        var left = new List<SetAsideObject>();
        foreach (var remote in remotes)
        {
            try
            {
                await foreach (var entry in pool.Store.ListAsync(pool.Layout.SweptObjectDirectory(remote), recursive: false, cancellationToken))
                {
                    if (!entry.IsDirectory && ManifestNames.IsContentAddressed(entry.Name))
                    {
                        left.Add(new SetAsideObject(remote, pool.Layout.ChunkObject(entry.Name), new RemotePath(remote.Storage, entry.Path), entry.Size));
                    }
                }
            }
            catch (PoolException e)
            {
                pool.Logger.LogWarning("The chunks an earlier sweep set aside on {Remote} could not be listed ({Error}); the next 'orphans --delete' settles them.", remote.Name, e.Message);
            }
        }

        return left;
    }

    /// <summary>Moves back every object <paramref name="needed"/> names and removes the others. Runs to its end once started.</summary>
    public async Task<(int Removed, long Bytes, int Restored)> SettleAsync(IReadOnlyList<SetAsideObject> aside, Func<string, string, bool> needed)
    {
        int removed = 0, restored = 0;
        long bytes = 0;
        await Parallel.ForEachAsync(aside, new ParallelOptions { MaxDegreeOfParallelism = PoolContext.MetadataParallelism }, async (o, _) =>
        {
            try
            {
                if (needed(o.Remote.Name, o.Object))
                {
                    await pool.Store.MoveAsync(o.Aside, new RemotePath(o.Remote.Storage, o.Object), CancellationToken.None);
                    Interlocked.Increment(ref restored);
                }
                else if (await pool.Store.DeleteAsync(o.Aside, CancellationToken.None))
                {
                    Interlocked.Increment(ref removed);
                    Interlocked.Add(ref bytes, o.Size);
                }
            }
            catch (PoolException e)
            {
                pool.Logger.LogWarning("The chunk object {Object} set aside on {Remote} could not be settled ({Error}); the next 'orphans --delete' does it.", o.Object, o.Remote.Name, e.Message);
            }
        });

        if (restored > 0)
        {
            pool.Logger.LogInformation("orphans: moved back {Restored} chunk objects that an upload reused while the sweep ran.", restored);
        }

        return (removed, bytes, restored);
    }
}
