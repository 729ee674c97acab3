using RclonePool.Core.Integrity;
using RclonePool.Core.Manifests;
using RclonePool.Core.Pool.Scanning;

namespace RclonePool.Core.Jobs;

/// <summary>
/// The tally of one health run: which stored object of which file is available, and why the others are not. Filled
/// by the checks (thread-safe), then read per file (<see cref="Assess"/>) and per remote (<see cref="RemoteHealth"/>).
/// </summary>
internal sealed class ObjectHealth
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, bool[][]> _available = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Damage>> _problems = new(StringComparer.Ordinal);
    private readonly Dictionary<(string FileId, string Remote), (int Objects, string Detail)> _unreachable = [];
    private readonly Dictionary<string, int> _damagedOn = new(StringComparer.Ordinal);

    public ObjectHealth(IReadOnlyList<Manifest> manifests)
    {
        Manifests = manifests;
        foreach (var manifest in manifests)
        {
            _available[manifest.FileId] = [.. manifest.Chunks.Select(c => new bool[c.Locations.Count])];
            Objects += manifest.Chunks.Sum(c => c.Locations.Count);
        }
    }

    public IReadOnlyList<Manifest> Manifests { get; }

    /// <summary>Stored objects the manifests name.</summary>
    public int Objects { get; }

    public void Available(Manifest manifest, int chunk, int location) => _available[manifest.FileId][chunk][location] = true;

    public void Found(Manifest manifest, int chunk, int location, DamageKind kind, string detail)
    {
        var entry = manifest.Chunks[chunk];
        var where = entry.Locations[location];
        var what = where.Shard is { } shard
            ? $"shard {shard} ({(shard < manifest.Redundancy.DataShards ? "data" : "parity")}): "
            : where.Role == LocationRole.Replica ? "replica: " : "";
        var damage = new Damage { Kind = kind, Path = manifest.Path, FileId = manifest.FileId, Chunk = entry.Index, Remote = where.Remote, Object = where.Object, Detail = what + detail };
        lock (_lock)
        {
            Problems(manifest).Add(damage);
            if (kind is DamageKind.Truncated or DamageKind.Corrupt)
            {
                _damagedOn[where.Remote] = _damagedOn.GetValueOrDefault(where.Remote) + 1;
            }
        }
    }

    /// <summary>An object on a remote that was not listed: summed up per file and remote, not reported one by one.</summary>
    public void Unreachable(Manifest manifest, string remote, string detail)
    {
        lock (_lock)
        {
            var (objects, _) = _unreachable.GetValueOrDefault((manifest.FileId, remote));
            _unreachable[(manifest.FileId, remote)] = (objects + 1, detail);
        }
    }

    public FileHealth Assess(Manifest manifest)
    {
        var available = _available[manifest.FileId];
        var tolerance = HealthRule.ToleranceOf(manifest.Redundancy);
        var margin = tolerance;
        if (manifest.Chunks.Count > 0)
        {
            var chunks = manifest.Chunks.Select((c, i) => HealthRule.Of(manifest, c, available[i])).ToList();
            tolerance = chunks.Min(c => c.Tolerance);
            margin = chunks.Min(c => c.Margin);
        }

        var present = available.Sum(a => a.Count(x => x));
        var expected = available.Sum(a => a.Length);
        List<Damage> problems;
        lock (_lock)
        {
            problems = [.. Problems(manifest)];
            problems.AddRange(_unreachable.Where(u => u.Key.FileId == manifest.FileId).Select(u => new Damage
            {
                Kind = DamageKind.Unreachable,
                Path = manifest.Path,
                FileId = manifest.FileId,
                Remote = u.Key.Remote,
                Detail = $"{u.Value.Objects} object{(u.Value.Objects == 1 ? "" : "s")} there could not be checked: {u.Value.Detail}",
            }));
        }

        return new FileHealth
        {
            Path = manifest.Path,
            FileId = manifest.FileId,
            Revision = manifest.Revision,
            Size = manifest.Size,
            Mode = manifest.Redundancy.Mode,
            State = HealthRule.Classify(margin, present < expected),
            Tolerance = tolerance,
            Margin = margin,
            Chunks = manifest.Chunks.Count,
            ObjectsExpected = expected,
            ObjectsAvailable = present,
            Problems = [.. problems.OrderBy(d => d.Chunk ?? -1).ThenBy(d => d.Remote, StringComparer.Ordinal)],
        };
    }

    public RemoteHealth RemoteHealth(RemoteInventory inventory, int manifestsMissing)
    {
        var name = inventory.Remote.Name;
        int expected = 0, present = 0;
        foreach (var manifest in Manifests)
        {
            var available = _available[manifest.FileId];
            for (var c = 0; c < manifest.Chunks.Count; c++)
            {
                var locations = manifest.Chunks[c].Locations;
                for (var i = 0; i < locations.Count; i++)
                {
                    if (locations[i].Remote == name)
                    {
                        expected++;
                        present += available[c][i] ? 1 : 0;
                    }
                }
            }
        }

        lock (_lock)
        {
            return new RemoteHealth
            {
                Name = name,
                Reachable = inventory.Listed,
                Error = inventory.Error,
                ObjectsExpected = expected,
                ObjectsPresent = present,
                ObjectsDamaged = _damagedOn.GetValueOrDefault(name),
                ManifestsMissing = manifestsMissing,
            };
        }
    }

    private List<Damage> Problems(Manifest manifest)
    {
        if (!_problems.TryGetValue(manifest.FileId, out var list))
        {
            _problems[manifest.FileId] = list = [];
        }

        return list;
    }
}
