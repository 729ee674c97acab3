using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>
/// Everything the remotes hold of one entry (file id): the revisions listed and where, the current revision (the
/// newest with a valid copy), and every copy or revision that could not be read.
/// </summary>
public sealed class SurveyedEntry
{
    // Made on the first item: most entries have no older revision, no unreadable one and no bad copy, and a survey holds
    // one entry per file (three empty lists each were some 100 bytes per file).
    private List<Manifest>? _older;
    private List<(long Revision, string Reason, bool Newer)>? _unreadable;
    private List<(PoolRemote Remote, string Reason)>? _badCopies;

    public required string FileId { get; init; }

    /// <summary>Every revision listed on some remote, newest first, with its copies.</summary>
    public required IReadOnlyList<(long Revision, IReadOnlyList<ManifestCopy> Copies)> Revisions { get; init; }

    /// <summary>The newest revision with a valid copy; null when no revision could be read (or it was not read).</summary>
    public Manifest? Current { get; set; }

    /// <summary>True when <see cref="Current"/> came from the local index (same file id and revision), not from a remote read.</summary>
    public bool CurrentFromIndex { get; set; }

    /// <summary>The bytes of a valid remote copy of <see cref="Current"/> (null when taken from the index).</summary>
    public byte[]? CurrentBytes { get; set; }

    /// <summary>Readable revisions other than the current one (only when every revision was read).</summary>
    public IReadOnlyList<Manifest> Older => _older ?? (IReadOnlyList<Manifest>)[];

    /// <summary>
    /// Revisions with no valid copy anywhere, with why (newest first). <c>Newer</c>: some copy was written by a newer
    /// rclonepool (a format this one cannot read), as opposed to garbage such as a write torn by a crash.
    /// </summary>
    public IReadOnlyList<(long Revision, string Reason, bool Newer)> Unreadable => _unreadable ?? (IReadOnlyList<(long, string, bool)>)[];

    /// <summary>Copies of the current revision that are unreadable or differ from the valid one.</summary>
    public IReadOnlyList<(PoolRemote Remote, string Reason)> BadCopies => _badCopies ?? (IReadOnlyList<(PoolRemote, string)>)[];

    /// <summary>False when the survey skipped reading this entry (outside the scope asked for).</summary>
    public bool Read { get; set; }

    internal void AddOlder(Manifest manifest) => (_older ??= new(1)).Add(manifest);

    internal void AddUnreadable(long revision, string reason, bool newer) => (_unreadable ??= new(1)).Add((revision, reason, newer));

    internal void AddBadCopies(IReadOnlyCollection<(PoolRemote Remote, string Reason)> copies)
    {
        if (copies.Count > 0)
        {
            (_badCopies ??= new(copies.Count)).AddRange(copies);
        }
    }

    public long NewestListedRevision => Revisions[0].Revision;

    public IReadOnlyList<ManifestCopy> CopiesOf(long revision) =>
        Revisions.FirstOrDefault(r => r.Revision == revision).Copies ?? [];

    /// <summary>Listed remotes that lack the current revision: with the newest older revision they hold, or null.</summary>
    public IEnumerable<(PoolRemote Remote, long? Holds)> MissingCopies(IEnumerable<PoolRemote> listed)
    {
        if (Current is null)
        {
            yield break;
        }

        var holders = CopiesOf(Current.Revision).Select(c => c.Remote.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var remote in listed)
        {
            if (holders.Contains(remote.Name))
            {
                continue;
            }

            long? older = null;
            foreach (var (revision, copies) in Revisions)
            {
                if (revision < Current.Revision && copies.Any(c => c.Remote.Name == remote.Name))
                {
                    older = revision;
                    break;
                }
            }

            yield return (remote, older);
        }
    }
}
