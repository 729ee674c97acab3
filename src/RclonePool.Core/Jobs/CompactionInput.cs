using System.Runtime.CompilerServices;
using RclonePool.Core.Pool.Scanning;

namespace RclonePool.Core.Jobs;

/// <summary>
/// What a compaction plan of one remote depends on besides the survey's entries and the index: the packs it lists (name,
/// size and the records read for them: the same object for every remote holding the pack), its single manifests (file id,
/// revision, size) and the files whose copy on it the survey found damaged. Remotes with equal inputs get the same plan
/// (<see cref="RemoteCompactionPlan.For"/>), so a pool whose remotes hold the same packs is planned once, not once per remote.
/// </summary>
internal sealed class CompactionInput : IEquatable<CompactionInput>
{
    private readonly (string Name, long Size, object Records)[] _packs;
    private readonly (string FileId, long Revision, long Size)[] _singles;
    private readonly string[] _damaged;
    private readonly int _hash;

    public CompactionInput(RemoteInventory inventory, IReadOnlyCollection<string> damaged)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        _packs = [.. inventory.Packs.Select(p => (p.Entry.Name, p.Entry.Size, (object)p.Records)).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Size)];
        _singles = [.. inventory.Manifests.Select(m => (m.Key.FileId, m.Key.Revision, m.Value.Size)).OrderBy(s => s.FileId, StringComparer.Ordinal).ThenBy(s => s.Revision)];
        _damaged = [.. damaged.Order(StringComparer.Ordinal)];
        var hash = new HashCode();
        foreach (var (name, size, records) in _packs)
        {
            hash.Add(name, StringComparer.Ordinal);
            hash.Add(size);
            hash.Add(RuntimeHelpers.GetHashCode(records));
        }

        foreach (var (fileId, revision, size) in _singles)
        {
            hash.Add(fileId, StringComparer.Ordinal);
            hash.Add(revision);
            hash.Add(size);
        }

        foreach (var fileId in _damaged)
        {
            hash.Add(fileId, StringComparer.Ordinal);
        }

        _hash = hash.ToHashCode();
    }

    public bool Equals(CompactionInput? other) =>
        other is not null && _hash == other._hash &&
        _packs.AsSpan().SequenceEqual(other._packs, PackComparer.Instance) &&
        _singles.AsSpan().SequenceEqual(other._singles) &&
        _damaged.AsSpan().SequenceEqual(other._damaged, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as CompactionInput);

    public override int GetHashCode() => _hash;

    /// <summary>Two listed packs are the same input when they have the same name and size and share the records read.</summary>
    private sealed class PackComparer : IEqualityComparer<(string Name, long Size, object Records)>
    {
        public static readonly PackComparer Instance = new();

        public bool Equals((string Name, long Size, object Records) x, (string Name, long Size, object Records) y) =>
            x.Size == y.Size && ReferenceEquals(x.Records, y.Records) && string.Equals(x.Name, y.Name, StringComparison.Ordinal);

        public int GetHashCode((string Name, long Size, object Records) obj) => HashCode.Combine(obj.Name, obj.Size, RuntimeHelpers.GetHashCode(obj.Records));
    }
}
