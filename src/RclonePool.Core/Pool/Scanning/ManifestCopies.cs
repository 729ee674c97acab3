using System.Collections;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool.Scanning;

/// <summary>
/// The copies of one manifest revision a survey found, held compactly: single objects one by one, copies in packs as the
/// pack's <see cref="PackHolders"/> and the record (one item for every remote that lists that pack). Each remote
/// is one copy: its single object when it has one, else its first pack holding the revision. Enumerated (packed copies
/// first) as <see cref="ManifestCopy"/> values, made on the fly. Further packs with the same bytes (each remote's own
/// upload packs: a hundred per record at a hundred remotes) are kept as their places in the survey's table of packs
/// (<paramref name="packs"/>), four bytes each, in an array trimmed to size once the survey has them all (<see cref="Trim"/>).
/// </summary>
internal sealed class ManifestCopies(int remotes, IReadOnlyList<PackHolders> packs) : IReadOnlyList<ManifestCopy>
{
    private PackHolders? _pack;
    private PackRecord? _packed;
    private int[]? _samePacks;
    private int _samePackCount;
    private List<(PackHolders Holders, PackRecord Record)>? _morePacks;
    private List<(int Index, ManifestCopy Copy)>? _singles;

    public int Count
    {
        get
        {
            var count = 0;
            foreach (var _ in this)
            {
                count++;
            }

            return count;
        }
    }

    public ManifestCopy this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            foreach (var copy in this)
            {
                if (index-- == 0)
                {
                    return copy;
                }
            }

            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    public void AddSingle(int remote, ManifestCopy copy) => (_singles ??= new(1)).Add((remote, copy));

    public void AddPacked(PackHolders holders, PackRecord record)
    {
        if (_pack is null)
        {
            (_pack, _packed) = (holders, record);
        }
        else if (ReferenceEquals(record, _packed))
        {
            // The same record in another pack (each remote's own upload packs): the survey shares it, so only the pack's place is kept.
            if (_samePacks is null || _samePackCount == _samePacks.Length)
            {
                Array.Resize(ref _samePacks, Math.Max(4, _samePackCount * 2));
            }

            _samePacks[_samePackCount++] = holders.Id;
        }
        else
        {
            (_morePacks ??= new(1)).Add((holders, record));
        }
    }

    /// <summary>Drops the spare room of the growing arrays once every copy is added.</summary>
    public void Trim()
    {
        if (_samePacks is not null && _samePacks.Length != _samePackCount)
        {
            Array.Resize(ref _samePacks, _samePackCount);
        }
    }

    public IEnumerator<ManifestCopy> GetEnumerator()
    {
        // A remote counted once: its single object wins over its packs, its first pack over later ones. Only needed
        // when there is more than one source (a compaction interrupted, or each remote's own packs).
        ulong[]? seen = _singles is not null && _pack is not null || _samePacks is not null || _morePacks is not null ? new ulong[(remotes + 63) / 64] : null;
        if (seen is not null && _singles is not null)
        {
            foreach (var (index, _) in _singles)
            {
                seen[index >> 6] |= 1UL << (index & 63);
            }
        }

        if (_pack is not null)
        {
            foreach (var copy in Expand(_pack, _packed!, seen))
            {
                yield return copy;
            }
        }

        for (var i = 0; i < _samePackCount; i++)
        {
            foreach (var copy in Expand(packs[_samePacks![i]], _packed!, seen))
            {
                yield return copy;
            }
        }

        foreach (var (holders, record) in _morePacks ?? [])
        {
            foreach (var copy in Expand(holders, record, seen))
            {
                yield return copy;
            }
        }

        foreach (var (_, copy) in _singles ?? [])
        {
            yield return copy;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static IEnumerable<ManifestCopy> Expand(PackHolders pack, PackRecord record, ulong[]? seen)
    {
        foreach (var (index, remote, entry) in pack.Holders)
        {
            if (seen is not null)
            {
                var bit = 1UL << (index & 63);
                if ((seen[index >> 6] & bit) != 0)
                {
                    continue;
                }

                seen[index >> 6] |= bit;
            }

            yield return new ManifestCopy(remote, entry, record);
        }
    }
}
