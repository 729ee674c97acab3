using RclonePool.Core.Errors;
using RclonePool.Core.Index;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>
/// Reads the state of the pool from the remotes themselves (never from the index alone): one listing of the manifest
/// directory per remote (and, when asked, one of the data directory and one of the shared-content markers), then each
/// distinct manifest pack once for all the remotes that list it (<see cref="DistinctPackReader"/>), then the single
/// manifests the caller needs. The one scanner of manifests: opening a pool with an empty index, verify, health, repair,
/// rebuild, orphans and index rebuild start here.
/// </summary>
public sealed class PoolSurvey
{
    private const int ReadParallelism = 16;

    private int _reads;

    private PoolSurvey(IReadOnlyList<RemoteInventory> remotes, IReadOnlyList<SurveyedEntry> entries, IReadOnlyDictionary<string, SurveyedTombstone> tombstones)
    {
        Remotes = remotes;
        Entries = entries;
        Tombstones = tombstones;
    }

    /// <summary>
    /// Deleted entries by file id: the newest tombstone some listed remote holds, and whether it still hides a revision
    /// somewhere. Their revisions up to the tombstone's are left out of <see cref="Entries"/>.
    /// </summary>
    public IReadOnlyDictionary<string, SurveyedTombstone> Tombstones { get; }

    public IReadOnlyList<RemoteInventory> Remotes { get; }

    /// <summary>Every file id listed on some remote.</summary>
    public IReadOnlyList<SurveyedEntry> Entries { get; }

    /// <summary>Remote calls taken: listings plus manifest reads.</summary>
    public int Calls => Remotes.Sum(r => r.Calls) + _reads;

    public IEnumerable<PoolRemote> ListedRemotes => Remotes.Where(r => r.Listed).Select(r => r.Remote);

    public bool AllListed => Remotes.All(r => r.Listed);

    /// <summary>
    /// What the survey could not see, one line each: remotes that could not be listed, and revisions newer than the
    /// current one (or of an entry with no current one) that no remote holds a readable copy of.
    /// </summary>
    public IEnumerable<string> Gaps()
    {
        foreach (var inventory in Remotes.Where(r => !r.Listed))
        {
            yield return $"{inventory.Remote.Name} could not be listed ({inventory.Error}); run 'rclonepool index rebuild' again when it answers";
        }

        foreach (var inventory in Remotes.Where(r => r.Listed))
        {
            foreach (var (pack, reason, _) in inventory.DamagedPacks)
            {
                yield return $"the manifest pack {pack.Path} on {inventory.Remote.Name} could not be read ({reason})";
            }
        }

        foreach (var entry in Entries.Where(e => e.Read))
        {
            var name = entry.Current?.Path ?? $"file id {entry.FileId}";
            foreach (var (revision, reason, _) in entry.Unreadable.Where(u => entry.Current is null || u.Revision > entry.Current.Revision))
            {
                yield return $"{name}: revision {revision} has no readable copy on any remote ({reason})";
            }
        }
    }

    /// <summary>Where the remotes' copies of the current revisions disagree, one line each: damaged copies, and listed remotes that lack them.</summary>
    public IEnumerable<string> Disagreements()
    {
        var listed = ListedRemotes.ToList();
        foreach (var entry in Entries.Where(e => e.Current is not null))
        {
            var name = entry.Current!.Path;
            foreach (var (remote, reason) in entry.BadCopies)
            {
                yield return $"{name}: the copy of revision {entry.Current.Revision} on {remote.Name} is damaged ({reason})";
            }

            var missing = entry.MissingCopies(listed).Select(m => m.Remote.Name).ToList();
            if (missing.Count > 0)
            {
                yield return $"{name}: revision {entry.Current.Revision} is missing on {string.Join(", ", missing)}";
            }
        }
    }

    public static async Task<PoolSurvey> TakeAsync(IRemoteStore store, PoolLayout layout, IReadOnlyList<PoolRemote> remotes, string poolId, IPoolIndex index, SurveyOptions options, CancellationToken cancellationToken)
    {
        // Every remote listed first, then each distinct pack read once for all the remotes that list it. Copies of one
        // record in packs of other names (each remote's own packs) are usually identical too: they share one record.
        var listings = await Task.WhenAll(remotes.Select(r => ListAsync(store, layout, r, options, cancellationToken)));
        var canonical = new System.Collections.Concurrent.ConcurrentDictionary<(string, long, bool), PackRecord>();
        var read = await DistinctPackReader.ReadAsync(store, poolId, [.. listings.Where(l => l.Error is null)], options.AllCopies, !options.Lean, Share, cancellationToken);
        canonical.Clear();
        var inventories = listings.Select(l => l.ToInventory()).ToArray();
        if (inventories.All(i => !i.Listed))
        {
            throw new PoolException(PoolErrorKind.Transient, $"No remote could be listed: {string.Join("; ", inventories.Select(i => $"{i.Remote.Name}: {i.Error}"))}");
        }

        // Each pack read once, with the listed remotes holding it (a remote whose other pack could not be read is not listed).
        var place = new Dictionary<RemoteListing, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < listings.Length; i++)
        {
            place[listings[i]] = i;
        }

        var table = new List<PackHolders>(read.Count);
        var packs = new List<(PackHolders Holders, IReadOnlyList<PackRecord> Records)>(read.Count);
        for (var n = 0; n < read.Count; n++)
        {
            var holding = read[n].Holders.Where(h => h.Remote.Error is null).Select(h => (place[h.Remote], h.Remote.Remote, h.Entry)).ToArray();
            if (holding.Length > 0)
            {
                var holders = new PackHolders(table.Count, holding);
                table.Add(holders);
                packs.Add((holders, read[n].Records));
            }

            read[n] = default;
        }

        read.Clear();

        var tombstoned = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var record in packs.SelectMany(p => p.Records).Where(r => r.IsTombstone))
        {
            tombstoned[record.FileId] = Math.Max(record.Revision, tombstoned.GetValueOrDefault(record.FileId));
        }

        var hides = new HashSet<string>(StringComparer.Ordinal);
        // Per file id its revisions (usually one) and their copies: small lists, sorted once at the end. A copy in a pack
        // is held once for every remote that lists the pack (ManifestCopies), not once per remote.
        var byId = new Dictionary<string, List<(long Revision, ManifestCopies Copies)>>(StringComparer.Ordinal);
        ManifestCopies? CopiesOf(string fileId, long revision)
        {
            if (tombstoned.TryGetValue(fileId, out var deleted) && revision <= deleted)
            {
                hides.Add(fileId);
                return null;
            }

            if (!byId.TryGetValue(fileId, out var revisions))
            {
                byId[fileId] = revisions = new(1);
            }

            foreach (var (listed, copies) in revisions)
            {
                if (listed == revision)
                {
                    return copies;
                }
            }

            var added = new ManifestCopies(listings.Length, table);
            revisions.Add((revision, added));
            return added;
        }

        for (var i = 0; i < inventories.Length; i++)
        {
            foreach (var ((fileId, revision), entry) in inventories[i].Manifests)
            {
                CopiesOf(fileId, revision)?.AddSingle(i, new ManifestCopy(inventories[i].Remote, entry));
            }
        }

        foreach (var (holders, records) in packs)
        {
            foreach (var record in records)
            {
                if (!record.IsTombstone)
                {
                    CopiesOf(record.FileId, record.Revision)?.AddPacked(holders, record);
                }
            }
        }

        packs.Clear();
        foreach (var revisions in byId.Values)
        {
            foreach (var (_, copies) in revisions)
            {
                copies.Trim();
            }
        }

        var entries = byId.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new SurveyedEntry { FileId = p.Key, Revisions = [.. p.Value.OrderByDescending(r => r.Revision).Select(r => (r.Revision, (IReadOnlyList<ManifestCopy>)r.Copies))] })
            .ToList();
        byId.Clear();
        var tombstones = tombstoned.ToDictionary(t => t.Key, t => new SurveyedTombstone(t.Key, t.Value, hides.Contains(t.Key)), StringComparer.Ordinal);
        var survey = new PoolSurvey(inventories, entries, tombstones);
        await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = ReadParallelism, CancellationToken = cancellationToken }, async (entry, ct) =>
            await survey.ReadEntryAsync(store, layout, index, entry, options, ct));
        return survey;

        PackRecord Share(string fileId, long revision, bool tombstone, ReadOnlySpan<byte> line)
        {
            var key = (fileId, revision, tombstone);
            if (canonical.TryGetValue(key, out var shared) && shared.Holds(line))
            {
                return shared;
            }

            var record = options.Lean && !tombstone ? LeanRecord(shared?.FileId ?? fileId, revision, line) : null;
            record ??= new PackRecord(shared?.FileId ?? fileId, revision, tombstone, line.ToArray());
            shared = canonical.GetOrAdd(key, record);
            return shared.SameBytes(record) ? shared : record;
        }
    }

    /// <summary>
    /// A record parsed as it is read, kept as its lean manifest, its length and a digest of its bytes (a lean survey
    /// holds no record's bytes: at a million files they were more than all the rest). Null when it does not parse or
    /// names another revision: such a record is kept as its bytes, and read as before, which says what is wrong with it.
    /// </summary>
    private static PackRecord? LeanRecord(string fileId, long revision, ReadOnlySpan<byte> line)
    {
        Manifest manifest;
        try
        {
            manifest = ManifestSerializer.Deserialize(line, fileId);
        }
        catch (PoolException)
        {
            return null;
        }

        return manifest.FileId == fileId && manifest.Revision == revision
            ? new PackRecord(fileId, revision, false, []) { Lean = manifest.Lean(fileId), Length = line.Length, Digest = System.IO.Hashing.XxHash128.HashToUInt128(line) }
            : null;
    }

    /// <summary>The remote's listings: its manifest directory (and, when asked, its data and shared markers); no pack read yet.</summary>
    private static async Task<RemoteListing> ListAsync(IRemoteStore store, PoolLayout layout, PoolRemote remote, SurveyOptions options, CancellationToken cancellationToken)
    {
        var listing = new RemoteListing(remote);
        try
        {
            listing.CountCall();
            await foreach (var entry in store.ListAsync(layout.ManifestDirectory(remote), recursive: false, cancellationToken))
            {
                if (entry.IsDirectory)
                {
                    continue;
                }

                if (ManifestNames.TryParse(entry.Name, out var fileId, out var revision))
                {
                    listing.Manifests[(fileId, revision)] = entry;
                }
                else if (ManifestNames.IsPackName(entry.Name))
                {
                    listing.PackEntries.Add(entry);
                }
                else
                {
                    listing.Foreign.Add(entry);
                }
            }

            if (options.ListData)
            {
                listing.CountCall();
                listing.Data = new Dictionary<string, RemoteEntry>(StringComparer.Ordinal);
                await foreach (var entry in store.ListAsync(layout.DataDirectory(remote), recursive: true, cancellationToken))
                {
                    if (!entry.IsDirectory)
                    {
                        listing.Data[entry.Path] = entry;
                    }
                }
            }

            if (options.ListSharedMarkers)
            {
                listing.CountCall();
                await foreach (var entry in store.ListAsync(layout.SharedMarkerDirectory(remote), recursive: false, cancellationToken))
                {
                    if (!entry.IsDirectory)
                    {
                        listing.Markers.Add(entry);
                    }
                }
            }

            listing.Local = listing.PackEntries.Count > 0 && await store.LocalDirectoryAsync(remote.Storage, cancellationToken) is not null;
        }
        catch (PoolException e) when (e.Kind is not PoolErrorKind.BadInput and not PoolErrorKind.Environment)
        {
            listing.Error = e.Message;
        }

        return listing;
    }

    private async Task ReadEntryAsync(IRemoteStore store, PoolLayout layout, IPoolIndex index, SurveyedEntry entry, SurveyOptions options, CancellationToken cancellationToken)
    {
        if (options.FileId is { } only && only != entry.FileId)
        {
            return;
        }

        // The index's revision matters only to a scoped survey and to one that prefers it: the others (index rebuild,
        // orphans) do not look it up, which also keeps the index's cache of parsed manifests empty.
        var indexed = options.PreferIndex || options.Scope is { IsRoot: false } ? await index.GetByIdAsync(entry.FileId, cancellationToken) : null;
        if (options.Scope is { IsRoot: false } scope && indexed is not null && indexed.Revision == entry.NewestListedRevision &&
            !scope.Contains(PoolPath.Parse(indexed.Path)))
        {
            return;
        }

        entry.Read = true;
        foreach (var (revision, copies) in entry.Revisions)
        {
            var current = entry.Current is null;
            if (!current && !options.AllRevisions)
            {
                break;
            }

            // Copies of one revision are byte-identical, so a size that differs betrays a damaged copy without reading it.
            var sizesAgree = copies.All(c => c.Size == copies[0].Size);
            if (current && options.PreferIndex && indexed is not null && indexed.Revision == revision && sizesAgree)
            {
                // A lean survey takes the remotes' copy of that revision as it parsed it (a revision is written once: the
                // index holds the same), so that no second lean manifest of it is kept.
                entry.Current = options.Lean ? copies[0].Record?.Lean ?? indexed.Lean(entry.FileId) : indexed;
                entry.CurrentFromIndex = true;
                continue;
            }

            var readAll = current && (options.AllCopies || !sizesAgree);
            var (manifest, bytes, problems, newer, lean) = await ReadRevisionAsync(store, layout, entry.FileId, revision, copies, readAll, cancellationToken);
            if (manifest is null)
            {
                entry.AddUnreadable(revision, problems.Count > 0 ? string.Join("; ", problems.Select(p => $"{p.Remote.Name}: {p.Reason}")) : "no copy could be read", newer);
                continue;
            }

            if (current)
            {
                entry.Current = options.Summaries ? manifest.Summary() : options.Lean && !lean ? manifest.Lean(entry.FileId) : manifest;
                entry.CurrentBytes = bytes;
                entry.AddBadCopies(problems);
            }
            else
            {
                entry.AddOlder(options.Lean && !lean ? manifest.Lean(entry.FileId) : manifest);
            }
        }
    }

    /// <summary>
    /// Reads copies of one revision until one is valid (all of them when asked), reporting the bad ones. <c>Lean</c>: the
    /// manifest is a record a lean survey parsed as it read it (<see cref="PackRecord.Lean"/>), already lean, with no bytes.
    /// </summary>
    private async Task<(Manifest? Manifest, byte[]? Bytes, List<(PoolRemote Remote, string Reason)> Problems, bool Newer, bool Lean)> ReadRevisionAsync(
        IRemoteStore store, PoolLayout layout, string fileId, long revision, IReadOnlyList<ManifestCopy> copies, bool readAll, CancellationToken cancellationToken)
    {
        var name = ManifestNames.ObjectName(fileId, revision);
        var problems = new List<(PoolRemote, string)>();
        var newer = false;
        Manifest? valid = null;
        byte[]? validBytes = null;
        PackRecord? validRecord = null;
        PoolRemote? validRemote = null;
        foreach (var copy in copies)
        {
            if (valid is not null && !readAll)
            {
                break;
            }

            if (copy.Record is { Lean: { } lean } record)
            {
                // Parsed as it was read, with the file id and revision its name says: valid, or the same as the valid copy or not.
                if (valid is null)
                {
                    (valid, validRecord, validRemote) = (lean, record, copy.Remote);
                }
                else if (!(validRecord?.SameBytes(record) ?? record.Holds(validBytes)))
                {
                    problems.Add((copy.Remote, $"differs from the copy on {validRemote!.Name}"));
                }

                continue;
            }

            var path = copy.IsPacked ? new RemotePath(copy.Remote.Storage, copy.Entry.Path) : layout.Manifest(copy.Remote, name);
            byte[]? bytes;
            try
            {
                if (copy.Packed is { } packed)
                {
                    bytes = packed;
                }
                else
                {
                    Interlocked.Increment(ref _reads);
                    bytes = await store.TryReadBytesAsync(path, cancellationToken);
                }
            }
            catch (PoolException e) when (e.Kind is not PoolErrorKind.BadInput)
            {
                problems.Add((copy.Remote, $"could not be read ({e.Message})"));
                continue;
            }

            if (bytes is null)
            {
                problems.Add((copy.Remote, "disappeared while being read"));
                continue;
            }

            if (valid is not null)
            {
                if (!(validRecord?.Lean is not null ? validRecord.Holds(bytes) : bytes.AsSpan().SequenceEqual(validBytes)))
                {
                    problems.Add((copy.Remote, Describe(bytes, path, fileId, revision) ?? $"differs from the copy on {validRemote!.Name}"));
                }

                continue;
            }

            try
            {
                var manifest = ManifestSerializer.Deserialize(bytes, $"{copy.Remote.Name} {path.Path}");
                if (manifest.FileId != fileId || manifest.Revision != revision)
                {
                    problems.Add((copy.Remote, $"holds file {manifest.FileId} revision {manifest.Revision}, not what its name says"));
                    continue;
                }

                (valid, validBytes, validRemote) = (manifest, bytes, copy.Remote);
            }
            catch (PoolException e) when (e.Kind is PoolErrorKind.Integrity or PoolErrorKind.Environment)
            {
                newer |= e.Kind == PoolErrorKind.Environment;
                problems.Add((copy.Remote, e.Message));
            }
        }

        return (valid, validBytes, problems, newer, validRecord is not null);
    }

    /// <summary>Why a copy that differs from the valid one is bad, when it does not even parse; null when it parses.</summary>
    private static string? Describe(byte[] bytes, RemotePath path, string fileId, long revision)
    {
        try
        {
            var other = ManifestSerializer.Deserialize(bytes, path.Path);
            return other.FileId == fileId && other.Revision == revision ? null : $"holds file {other.FileId} revision {other.Revision}, not what its name says";
        }
        catch (PoolException e)
        {
            return e.Message;
        }
    }
}
