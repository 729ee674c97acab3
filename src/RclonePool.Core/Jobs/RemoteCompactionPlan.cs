using RclonePool.Core.Manifests;
using RclonePool.Core.Pool.Scanning;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Jobs;

/// <summary>
/// What a compaction does on one remote, decided from a survey and the revisions the index holds (committed revisions):
/// the packs it rewrites, the records that go into the one new pack (needed records of those packs, single manifests
/// folded in, current revisions the remote lacks), and the single manifests removed after the pack is written. Only
/// objects the survey listed are ever removed, so nothing written after the survey started is touched.
/// </summary>
/// <remarks>
/// A revision is dropped as superseded only when the index holds a newer one (a write that committed), and a single
/// manifest is folded only when the index holds exactly its revision: an upload still in flight (its manifest written,
/// the index not yet) keeps its objects as they are, so when it fails and removes them, no pack brings it back.
/// </remarks>
internal sealed class RemoteCompactionPlan
{
    // A pack with more than this share of records no longer needed is rewritten whatever its size.
    private const int DeadShareDenominator = 4;

    private List<ReadOnlyMemory<byte>> _records = [];
    private readonly List<PackListing> _rewrite = [];
    private readonly List<RemoteEntry> _singlesRemoved = [];

    private RemoteCompactionPlan(RemoteInventory inventory) => Inventory = inventory;

    public RemoteInventory Inventory { get; }

    /// <summary>
    /// The records of the new packs, in file id order; none: no pack is written. In that order, remotes that keep the same
    /// records (every healthy remote of a pool) get packs of the same bytes, which a later survey reads once for all.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Records => _records;

    /// <summary>Packs removed once the new pack is written.</summary>
    public IReadOnlyList<PackListing> Rewritten => _rewrite;

    /// <summary>Single manifests removed once the new pack is written: folded into it, superseded, or hidden by a tombstone.</summary>
    public IReadOnlyList<RemoteEntry> SinglesRemoved => _singlesRemoved;

    public int RecordsDropped { get; private set; }

    public int SinglesFolded { get; private set; }

    /// <summary>Current revisions the remote lacked (or held damaged), written into the new pack: (file id, revision).</summary>
    public List<(string FileId, long Revision)> CopiesAdded { get; } = [];

    public bool HasWork => _records.Count > 0 || _singlesRemoved.Count > 0 || _rewrite.Count > 1 || RecordsDropped > 0;

    /// <param name="committed">The index's revision of each file id, read after the survey listed the remotes.</param>
    /// <param name="fold">Fold single manifests into the pack and add missing current revisions (packing on).</param>
    /// <param name="full">Rewrite every pack; otherwise only packs with many records no longer needed, and small ones (each pack kept is settled, at half <see cref="ManifestPack.TargetBytes"/> or more, or more than twice the size of everything merged below it).</param>
    /// <param name="tidy">Also rewrite every pack below the settled size and every pack holding a record no longer needed ('index rebuild'): what is left is settled healthy packs and at most one new pack.</param>
    public static RemoteCompactionPlan Make(RemoteInventory inventory, PoolSurvey survey, IReadOnlyDictionary<string, SurveyedEntry> entries, IReadOnlyDictionary<string, long> committed, bool fold, bool full, bool tidy = false)
    {
        var plan = new RemoteCompactionPlan(inventory);

        // Each record's fate, packs largest first so a duplicate counts against the smaller pack.
        var held = new HashSet<(string, long, bool)>();
        var packs = inventory.Packs.OrderByDescending(p => p.Records.Count).ThenBy(p => p.Entry.Path, StringComparer.Ordinal)
            .Select(p => (Pack: p, Fates: p.Records.Select(r => Fate(r, survey, entries, committed, held)).ToList()))
            .ToList();

        // Singles to fold or remove, and current revisions this remote lacks.
        var added = new List<(string FileId, long Revision, byte[] Bytes)>();
        foreach (var ((fileId, revision), entry) in inventory.Manifests)
        {
            var hidden = survey.Tombstones.TryGetValue(fileId, out var tombstone) && revision <= tombstone.Revision;
            var superseded = committed.TryGetValue(fileId, out var current) && revision < current;
            if (hidden || (fold && superseded))
            {
                plan._singlesRemoved.Add(entry);
            }
            else if (fold && revision == current && ValidBytes(entries, fileId, revision) is { } bytes)
            {
                plan._singlesRemoved.Add(entry);
                if (held.Add((fileId, revision, false)))
                {
                    added.Add((fileId, revision, bytes));
                    plan.SinglesFolded++;
                    if (entries[fileId].BadCopies.Any(b => b.Remote.Name == inventory.Remote.Name))
                    {
                        plan.CopiesAdded.Add((fileId, revision));
                    }
                }
            }
        }

        if (fold)
        {
            foreach (var (fileId, revision) in committed)
            {
                var hidden = survey.Tombstones.TryGetValue(fileId, out var tombstone) && revision <= tombstone.Revision;
                if (!hidden && !held.Contains((fileId, revision, false)) && !inventory.Manifests.ContainsKey((fileId, revision)) &&
                    ValidBytes(entries, fileId, revision) is { } bytes)
                {
                    held.Add((fileId, revision, false));
                    added.Add((fileId, revision, bytes));
                    plan.CopiesAdded.Add((fileId, revision));
                }
            }
        }

        // Which packs are rewritten: every one (full), or the unhealthy ones and the small ones, merged upward.
        var merged = added.Count;
        var kept = new List<(string FileId, long Revision, bool Tombstone, ReadOnlyMemory<byte> Bytes)>();
        foreach (var (pack, fates) in packs.OrderBy(p => p.Pack.Records.Count))
        {
            var dead = fates.Count(f => f.Drop || f.Repaired);

            // A pack at half the target size or more is settled: only --full, a damaged record or many dead records rewrite
            // it, so a large pool's compaction (and 'index rebuild') does not rewrite every manifest each time. Its records'
            // size, not the stored one: a compressed pack stores about a third of it.
            var settled = PlainSize(pack) >= ManifestPack.TargetBytes / 2;
            var rewrite = full || fates.Any(f => f.Repaired) || (tidy && (dead > 0 || !settled)) || dead * DeadShareDenominator > fates.Count || (!settled && ((merged == 0 && packs.Count > 1) || pack.Records.Count <= 2 * merged));
            if (!rewrite)
            {
                continue;
            }

            plan._rewrite.Add(pack);
            merged += fates.Count - dead;
            foreach (var (fate, record) in fates.Zip(pack.Records))
            {
                if (fate.Repaired)
                {
                    plan.CopiesAdded.Add((record.FileId, record.Revision));
                }

                if (fate.Drop)
                {
                    plan.RecordsDropped++;
                }
                else
                {
                    kept.Add((record.FileId, record.Revision, record.IsTombstone, fate.Bytes));
                }
            }
        }

        kept.AddRange(added.Select(a => (a.FileId, a.Revision, false, (ReadOnlyMemory<byte>)a.Bytes)));

        // A lone healthy pack rewritten into itself is no work.
        if (plan._rewrite.Count == 1 && plan.RecordsDropped == 0 && added.Count == 0 && !packs.Single(p => p.Pack == plan._rewrite[0]).Fates.Any(f => f.Repaired))
        {
            plan._rewrite.Clear();
            kept.Clear();
        }

        kept.Sort(static (a, b) =>
        {
            var byId = string.CompareOrdinal(a.FileId, b.FileId);
            return byId != 0 ? byId : a.Revision != b.Revision ? a.Revision.CompareTo(b.Revision) : a.Tombstone.CompareTo(b.Tombstone);
        });
        plan._records = kept.ConvertAll(k => k.Bytes);

        plan.CopiesAdded.Sort();

        return plan;
    }

    /// <summary>
    /// This plan for another remote whose <see cref="CompactionInput"/> is equal (the same packs, single manifests and
    /// damaged copies): the same records, with that remote's own listing entries to remove.
    /// </summary>
    public RemoteCompactionPlan For(RemoteInventory other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, Inventory))
        {
            return this;
        }

        var plan = new RemoteCompactionPlan(other) { _records = _records, RecordsDropped = RecordsDropped, SinglesFolded = SinglesFolded };
        plan.CopiesAdded.AddRange(CopiesAdded);
        var packs = other.Packs.ToDictionary(p => (p.Entry.Name, p.Entry.Size));
        plan._rewrite.AddRange(_rewrite.Select(p => packs[(p.Entry.Name, p.Entry.Size)]));
        if (_singlesRemoved.Count > 0)
        {
            var singles = other.Manifests.Values.ToDictionary(e => e.Name, StringComparer.Ordinal);
            plan._singlesRemoved.AddRange(_singlesRemoved.Select(s => singles[s.Name]));
        }

        return plan;
    }

    /// <summary>
    /// Takes <paramref name="other"/>'s list of records when it holds the same records (usually the very same objects,
    /// shared by the survey) in the same order: the plans of remotes that write the same packs then hold one list, and
    /// the packs are compressed once for all of them. False when the records differ.
    /// </summary>
    public bool ShareRecords(RemoteCompactionPlan other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(_records, other._records))
        {
            return true;
        }

        if (_records.Count != other._records.Count)
        {
            return false;
        }

        for (var i = 0; i < _records.Count; i++)
        {
            if (!_records[i].Equals(other._records[i]) && !_records[i].Span.SequenceEqual(other._records[i].Span))
            {
                return false;
            }
        }

        _records = other._records;
        return true;
    }

    /// <summary>
    /// Whether a pack record must stay (and with which bytes): a duplicate of a record seen before goes; a tombstone stays
    /// while it hides something; a manifest goes when a tombstone hides it or the index holds a newer revision (committed);
    /// the current revision's valid bytes replace a damaged copy.
    /// </summary>
    private static (bool Drop, bool Repaired, ReadOnlyMemory<byte> Bytes) Fate(
        PackRecord record, PoolSurvey survey, IReadOnlyDictionary<string, SurveyedEntry> entries, IReadOnlyDictionary<string, long> committed, HashSet<(string, long, bool)> held)
    {
        if (!held.Add((record.FileId, record.Revision, record.IsTombstone)))
        {
            return (true, false, default);
        }

        if (record.IsTombstone)
        {
            return (!(survey.Tombstones.TryGetValue(record.FileId, out var t) && t.Hides), false, record.Bytes);
        }

        if (survey.Tombstones.TryGetValue(record.FileId, out var tombstone) && record.Revision <= tombstone.Revision)
        {
            return (true, false, default);
        }

        if (committed.TryGetValue(record.FileId, out var current) && record.Revision < current)
        {
            return (true, false, default);
        }

        if (ValidBytes(entries, record.FileId, record.Revision) is { } valid && !valid.AsSpan().SequenceEqual(record.Bytes))
        {
            return (false, true, valid);
        }

        return (false, false, record.Bytes);
    }

    /// <summary>The bytes of a pack's records as plain lines (what <see cref="ManifestPack.TargetBytes"/> counts), whatever it stores.</summary>
    private static long PlainSize(PackListing pack) => pack.Records.Sum(r => (long)r.Bytes.Length + 1);

    /// <summary>The bytes of a valid copy of the revision, when the survey read it as the entry's current revision.</summary>
    private static byte[]? ValidBytes(IReadOnlyDictionary<string, SurveyedEntry> entries, string fileId, long revision) =>
        entries.TryGetValue(fileId, out var entry) && entry.Current?.Revision == revision && !entry.CurrentFromIndex ? entry.CurrentBytes : null;
}
