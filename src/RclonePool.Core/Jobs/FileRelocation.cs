using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Pool.Writing;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>
/// Moves objects of one file to other remotes, in an order that keeps the file readable at every moment: each object is
/// copied under a fresh id (several at once) and read back against the manifest's hashes on its new remote; then a new manifest revision
/// naming the new objects is written to every remote; only then are the older revisions and the objects only they name
/// removed. Interrupted before the new revision is durable, the file reads as before and the copies are orphans; after,
/// it reads from the new objects, and a later run (or 'orphans') removes what the older revisions left.
/// </summary>
internal sealed class FileRelocation(PoolContext pool, WriteEngine writing)
{
    /// <summary>
    /// Moves <paramref name="moves"/> (objects of <paramref name="entry"/>'s current revision): the copies and their checks
    /// run at once, bounded by <paramref name="slots"/> (shared by every file of the job, so the job's transfers stay
    /// bounded), then one new manifest revision names them all.
    /// </summary>
    public async Task<IReadOnlyList<(ChunkMove Move, ChunkLocation Now)>> MoveAsync(SurveyedEntry entry, IReadOnlyList<ChunkMove> moves, RelocationSlots slots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slots);
        var current = entry.Current!;
        var written = new ConcurrentBag<(PoolRemote Remote, string Object)>();
        var copied = new (ChunkMove Move, ChunkLocation Now)[moves.Count];
        Manifest moved;
        List<(ChunkMove Move, ChunkLocation Now)> done;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, moves.Count), new ParallelOptions { MaxDegreeOfParallelism = moves.Count, CancellationToken = cancellationToken }, async (i, ct) =>
                copied[i] = await CopyAndCheckAsync(current, moves[i], written, slots, ct));
            done = [.. copied];
            moved = current with
            {
                Revision = entry.NewestListedRevision + 1,
                Written = pool.Time.GetUtcNow(),
                Chunks = [.. current.Chunks.Select(c => c with { Locations = [.. c.Locations.Select(l => Replacement(done, c.Index, l))] })],
            };
            await pool.Manifests.WriteAsync(moved, cancellationToken);
        }
        catch (Exception e) when (e is not PoolException { InDoubt: true })
        {
            await DeleteAsync(written, current.Path);
            throw;
        }

        // The new revision is durable: from here on nothing is undone, and a cancellation waits for the clean-up.
        await pool.Index.PutAsync(moved, CancellationToken.None);
        await RetireOlderAsync(entry, moved);

        foreach (var (move, now) in done)
        {
            pool.Events.Publish(new PoolEvent
            {
                Type = PoolEventType.ChunkMoved,
                Path = current.Path,
                Chunk = move.Chunk,
                Remote = now.Remote,
                Object = now.Object,
                Bytes = move.Bytes,
                Operation = "rebalance",
                Detail = $"from {move.From.Remote}",
            });
        }

        pool.Logger.LogInformation("Rebalance moved {Count} objects of {Path} (revision {Revision}).", done.Count, current.Path, moved.Revision);
        return done;
    }

    /// <summary>
    /// Copies one object under a fresh id to its new remote and checks it there against the manifest's hashes. A copy
    /// whose destination can report a hash rclonepool computes (most cloud backends keep one) is checked on its way
    /// (every byte against the manifest) and then by asking the destination for its hash of what landed, so nothing is
    /// read twice; a shard, a local directory (read back directly, at disk speed) or a remote without such a hash is
    /// read back and checked.
    /// </summary>
    private async Task<(ChunkMove Move, ChunkLocation Now)> CopyAndCheckAsync(Manifest current, ChunkMove move, ConcurrentBag<(PoolRemote Remote, string Object)> written, RelocationSlots slots, CancellationToken cancellationToken)
    {
        var chunk = current.Chunks.Single(c => c.Index == move.Chunk);
        var to = pool.Remote(move.To);
        var objectPath = pool.Layout.ChunkObject(ManifestNames.NewId());
        var target = new RemotePath(to.Storage, objectPath);
        written.Add((to, objectPath));
        var now = move.From with { Remote = to.Name, Object = objectPath };
        var localDirectory = await pool.Store.LocalDirectoryAsync(to.Storage, cancellationToken) is not null;
        var hashType = await RemoteHashForAsync(move.From, to, localDirectory, cancellationToken);
        var fromLocalDirectory = await pool.Store.LocalDirectoryAsync(pool.RemoteOf(move.From).Storage, cancellationToken) is not null;
        // The source's and the destination's slots first, then the job's: a copy waiting for a busy remote holds none of
        // the job's. Always taken in this order, so no two copies wait on each other.
        SemaphoreSlim[] copySlots = [slots.CopiesFrom(move.From.Remote, fromLocalDirectory), slots.CopiesTo(to.Name, localDirectory), slots.Copies];
        var bad = hashType is null
            ? await CopyThenReadBackAsync(current, chunk, move, target, now, copySlots, slots.Checks, cancellationToken)
            : await CopyThenCheckHashAsync(current, chunk, move, target, hashType, copySlots, slots.Checks, cancellationToken);
        if (bad is { } damage)
        {
            throw new PoolException(PoolErrorKind.Integrity, $"Chunk {chunk.Index} of {current.Path} copied to {to.Name} did not check out ({damage.Detail}); it stays on {move.From.Remote}. Check {to.Name}, and run 'rclonepool verify {current.Path}'.");
        }

        return (move, now);
    }

    /// <summary>The hash to check a copy by on its destination, or null when it is read back instead.</summary>
    private async Task<string?> RemoteHashForAsync(ChunkLocation from, PoolRemote to, bool localDirectory, CancellationToken cancellationToken)
    {
        if (from.Role == LocationRole.Shard || localDirectory)
        {
            return null;
        }

        var types = await pool.Store.HashTypesAsync(to.Storage, cancellationToken);
        return CheckedCopyStream.Supported.FirstOrDefault(t => types.Contains(t, StringComparer.Ordinal));
    }

    /// <summary>Copies, then reads the copy back: the read holds a check slot, not a copy slot, so the next copy starts meanwhile.</summary>
    private async Task<(DamageKind Kind, string Detail)?> CopyThenReadBackAsync(Manifest current, ChunkEntry chunk, ChunkMove move, RemotePath target, ChunkLocation now, SemaphoreSlim[] copySlots, SemaphoreSlim checks, CancellationToken cancellationToken)
    {
        await RelocationSlots.HoldingAsync(() => CopyAsync(move, target, cancellationToken), cancellationToken, copySlots);
        return await RelocationSlots.HoldingAsync(() => ChunkCheck.ByContentAsync(pool.Store, target, current, chunk, now, null, cancellationToken), cancellationToken, checks);
    }

    /// <summary>
    /// Streams the copy through a check of every byte against the manifest (holding the copy slots), then compares the
    /// destination's hash of what landed with the hash of what was sent (holding a check slot, so the next copy starts
    /// meanwhile: a remote may compute its hash by reading the object). A destination that cannot tell after all is read back.
    /// </summary>
    private async Task<(DamageKind Kind, string Detail)?> CopyThenCheckHashAsync(Manifest current, ChunkEntry chunk, ChunkMove move, RemotePath target, string hashType, SemaphoreSlim[] copySlots, SemaphoreSlim checks, CancellationToken cancellationToken)
    {
        var (sent, source) = await RelocationSlots.HoldingAsync(() => pool.Retry.ExecuteAsync(async ct =>
        {
            using var check = new CopyContentCheck(chunk.StoredForm(), move.From, current.BlockSize);
            await using var read = await pool.Store.OpenReadAsync(pool.PathOf(move.From), 0, move.Bytes, ct);
            await using var copy = new CheckedCopyStream(read, check, hashType);
            await pool.Store.WriteAsync(target, copy, move.Bytes, ct);
            return (copy.SentHash(), check.Complete());
        }, cancellationToken).AsTask(), cancellationToken, copySlots);
        if (source is { } damaged)
        {
            return (damaged.Kind, $"the source on {move.From.Remote}: {damaged.Detail}");
        }

        return await RelocationSlots.HoldingAsync(() => CheckHashAsync(current, chunk, move, target, hashType, sent, cancellationToken), cancellationToken, checks);
    }

    /// <summary>The destination's hash of the copy against <paramref name="sent"/>; read back when the destination cannot tell.</summary>
    private async Task<(DamageKind Kind, string Detail)?> CheckHashAsync(Manifest current, ChunkEntry chunk, ChunkMove move, RemotePath target, string hashType, string sent, CancellationToken cancellationToken)
    {
        var there = await pool.Store.HashAsync(target, hashType, cancellationToken);
        if (there is null)
        {
            var now = move.From with { Remote = pool.Remote(move.To).Name, Object = target.Path };
            return await ChunkCheck.ByContentAsync(pool.Store, target, current, chunk, now, null, cancellationToken);
        }

        if (!string.Equals(there, sent, StringComparison.Ordinal))
        {
            return (DamageKind.Corrupt, $"its {hashType} there is {there}, not the {sent} of the bytes sent");
        }

        pool.Logger.LogDebug("Chunk {Chunk} of {Path} checked on {Remote} by its {HashType}, without reading it back.", chunk.Index, current.Path, move.To, hashType);
        return null;
    }

    /// <summary>
    /// Finishes what an interrupted move (or write) left of a file: writes its current revision where a listed remote lacks
    /// it, then retires the older revisions and the objects only they name. Returns the manifest copies written.
    /// </summary>
    public async Task<int> FinishAsync(SurveyedEntry entry, IEnumerable<PoolRemote> listed, CancellationToken cancellationToken)
    {
        var current = entry.Current!;
        var bytes = entry.CurrentBytes ?? ManifestSerializer.Serialize(current);
        var written = 0;
        foreach (var (remote, _) in entry.MissingCopies(listed).ToList())
        {
            await pool.Store.WriteBytesAsync(pool.Layout.Manifest(remote, current.ObjectName), bytes, cancellationToken);
            written++;
        }

        await pool.Index.PutAsync(current, CancellationToken.None);
        await RetireOlderAsync(entry, current);
        pool.Logger.LogInformation("Finished {Path} (revision {Revision}): {Count} manifest copies written, older revisions retired.", current.Path, current.Revision, written);
        return written;
    }

    /// <summary>Retires every revision older than <paramref name="kept"/>: readable ones with the objects only they name, unreadable ones as they are.</summary>
    private async Task RetireOlderAsync(SurveyedEntry entry, Manifest kept)
    {
        foreach (var older in entry.Older.Append(entry.Current!).Where(o => o.Revision < kept.Revision))
        {
            await writing.Reclaimer.RetireAsync(older, kept);
        }

        var readable = entry.Older.Append(entry.Current!).Select(m => m.Revision).ToHashSet();
        foreach (var (revision, _) in entry.Revisions.Where(r => r.Revision < kept.Revision && !readable.Contains(r.Revision)))
        {
            await pool.Manifests.DeleteRevisionAsync(kept.FileId, revision, CancellationToken.None);
        }
    }

    private static ChunkLocation Replacement(List<(ChunkMove Move, ChunkLocation Now)> done, int chunk, ChunkLocation location)
    {
        foreach (var (move, now) in done)
        {
            if (move.Chunk == chunk && move.From.Remote == location.Remote && move.From.Object == location.Object)
            {
                return now;
            }
        }

        return location;
    }

    /// <summary>
    /// Copies the object to the new one: inside rclone when the store can (the bytes stream from remote to remote as
    /// with 'rclone copy'; rclone's upload from a stream of unknown length would first spool the whole object), else
    /// streamed through here, a failed attempt opening the source again. The caller reads the copy back either way.
    /// </summary>
    private async Task CopyAsync(ChunkMove move, RemotePath target, CancellationToken cancellationToken)
    {
        if (await pool.Store.TryCopyAsync(pool.PathOf(move.From), target, cancellationToken))
        {
            return;
        }

        await pool.Retry.ExecuteAsync(async ct =>
        {
            await using var source = await pool.Store.OpenReadAsync(pool.PathOf(move.From), 0, move.Bytes, ct);
            await pool.Store.WriteAsync(target, source, move.Bytes, ct);
        }, cancellationToken);
    }

    private async Task DeleteAsync(IEnumerable<(PoolRemote Remote, string Object)> written, string path)
    {
        foreach (var (remote, objectPath) in written)
        {
            try
            {
                await pool.Store.DeleteAsync(new RemotePath(remote.Storage, objectPath), CancellationToken.None);
            }
            catch (PoolException e)
            {
                pool.Logger.LogWarning("Could not remove {Object} on {Remote}, copied for a move of {Path} that did not complete ({Error}); 'rclonepool orphans --delete' will.", objectPath, remote.Name, path, e.Message);
            }
        }
    }
}
