using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>
/// Reads the manifest packs a survey listed, each distinct pack once. A pack is written whole under a fresh name and
/// never changed, so remotes that list a pack of the same name and size hold the same bytes: one copy is read (a local
/// directory's first, the others spread over the holders) and every remote listing it holds its records. A copy that
/// cannot be read or is damaged is reported on its remote as before, and the next holder's copy is read instead. A
/// size that differs means other bytes: that variant is read too.
/// </summary>
internal static class DistinctPackReader
{
    /// <summary>Reads in flight per listed remote, as many as one remote's survey had before (at most <see cref="MaxReads"/> in all).</summary>
    private const int ReadsPerRemote = 16;

    private const int MaxReads = 64;

    /// <param name="everyCopy">Read every remote's copy (a deep 'verify' compares them all) instead of one per distinct pack.</param>
    /// <param name="keepRecords">Keep each pack's records on the remotes holding it (<see cref="RemoteListing.Packs"/>), for a compaction; else only the pack is listed there.</param>
    /// <returns>Each pack read, with the remotes holding it (the copy read and the ones not tried).</returns>
    public static async Task<List<(List<(RemoteListing Remote, RemoteEntry Entry)> Holders, IReadOnlyList<PackRecord> Records)>> ReadAsync(
        IRemoteStore store, string poolId, IReadOnlyList<RemoteListing> listed, bool everyCopy, bool keepRecords, PackRecordFactory share, CancellationToken cancellationToken)
    {
        var read = new List<(List<(RemoteListing Remote, RemoteEntry Entry)> Holders, IReadOnlyList<PackRecord> Records)>();
        var groups = new Dictionary<(string Name, long Size, int Remote), List<(RemoteListing Remote, RemoteEntry Entry)>>();
        for (var i = 0; i < listed.Count; i++)
        {
            foreach (var entry in listed[i].PackEntries)
            {
                var key = (entry.Name, entry.Size, everyCopy ? i : -1);
                if (!groups.TryGetValue(key, out var holders))
                {
                    groups[key] = holders = new(1);
                }

                holders.Add((listed[i], entry));
            }
        }

        var parallelism = Math.Clamp(ReadsPerRemote * listed.Count, 1, MaxReads);

        // The groups as an array whose slots are let go as their packs are read: at a million files over a hundred remotes
        // (each remote its own upload packs) there are millions of them, next to the records being read.
        var work = groups.Values.ToArray();
        groups.Clear();
        groups.TrimExcess();
        await Parallel.ForEachAsync(Enumerable.Range(0, work.Length), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (n, ct) =>
        {
            // Local copies first; among equals, start at a different holder for each pack so the reads spread over the accounts.
            var holders = work[n];
            work[n] = null!;
            var order = holders.Select((h, i) => (Holder: h, Rank: (h.Remote.Local ? 0 : holders.Count) + ((i - n) % holders.Count + holders.Count) % holders.Count))
                .OrderBy(h => h.Rank).Select(h => h.Holder).ToList();
            // The copies tried before one was read are damaged, gone or unreachable (each reported on its remote); the
            // one read and those not tried hold its records.
            var tried = 0;
            IReadOnlyList<PackRecord>? records = null;
            while (records is null && tried < order.Count)
            {
                var (remote, entry) = order[tried++];
                records = await ReadCopyAsync(store, poolId, remote, entry, share, ct);
            }

            if (records is null)
            {
                return;
            }

            var holding = order.Skip(tried - 1).ToList();
            foreach (var (remote, entry) in holding)
            {
                lock (remote.Packs)
                {
                    remote.Packs.Add(new PackListing(entry, keepRecords ? records : []));
                }
            }

            lock (read)
            {
                read.Add((holding, records));
            }
        });
        return read;
    }

    /// <summary>One remote's copy of a pack, read as a stream; null when it is gone, damaged or could not be read (said on its remote).</summary>
    private static async Task<IReadOnlyList<PackRecord>?> ReadCopyAsync(IRemoteStore store, string poolId, RemoteListing remote, RemoteEntry entry, PackRecordFactory share, CancellationToken cancellationToken)
    {
        try
        {
            remote.CountCall();
            await using var stream = await store.OpenReadAsync(new RemotePath(remote.Remote.Storage, entry.Path), 0, -1, cancellationToken);
            return await ManifestPack.ReadAsync(stream, poolId, $"{remote.Remote.Name} {entry.Path}", share, cancellationToken);
        }
        catch (PoolException e) when (e.Kind == PoolErrorKind.NotFound)
        {
            return null; // removed since the listing (a compaction): its records are in the pack that replaced it
        }
        catch (PoolException e) when (e.Kind is PoolErrorKind.Integrity or PoolErrorKind.Environment)
        {
            lock (remote.Packs)
            {
                remote.Damaged.Add((entry, e.Message, e.Kind == PoolErrorKind.Environment));
            }

            return null;
        }
        catch (PoolException e) when (e.Kind is not PoolErrorKind.BadInput)
        {
            // As when its listing fails: the remote's inventory is incomplete, so it counts as not listed.
            lock (remote.Packs)
            {
                remote.Error ??= e.Message;
            }

            return null;
        }
    }
}
