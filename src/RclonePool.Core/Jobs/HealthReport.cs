namespace RclonePool.Core.Jobs;

/// <summary>
/// What <c>health</c> found: every file in scope with its state and margin, every remote with what it holds of what
/// is expected of it, and the manifests that are missing or damaged somewhere.
/// </summary>
public sealed record HealthReport
{
    public required string Scope { get; init; }

    /// <summary>Every object was read and checked against its hashes (not only listed).</summary>
    public bool Deep { get; init; }

    /// <summary>Every file in scope, by path.</summary>
    public required IReadOnlyList<FileHealth> Files { get; init; }

    /// <summary>Every configured remote.</summary>
    public required IReadOnlyList<RemoteHealth> Remotes { get; init; }

    /// <summary>Directory entries (with a manifest of their own) in scope.</summary>
    public int Directories { get; init; }

    /// <summary>Manifest copies missing, stale or damaged on some remote (a remote that was offline during a write).</summary>
    public IReadOnlyList<Damage> ManifestProblems { get; init; } = [];

    /// <summary>Entries with no readable manifest on any remote: lost, their path unknown.</summary>
    public IReadOnlyList<Damage> UnreadableEntries { get; init; } = [];

    /// <summary>Stored objects checked (listed, and read when deep).</summary>
    public int ObjectsChecked { get; init; }

    public long BytesRead { get; init; }

    public int RemoteCalls { get; init; }

    /// <summary>
    /// The pool's state: the worst file's; lost when some entry has no readable manifest; at least degraded when a
    /// remote cannot be reached or a manifest copy is missing (the metadata's redundancy is reduced).
    /// </summary>
    public HealthState State
    {
        get
        {
            var state = Files.Aggregate(HealthState.Healthy, (worst, f) => HealthStates.Worst(worst, f.State));
            if (UnreadableEntries.Count > 0)
            {
                return HealthState.Lost;
            }

            return Remotes.Any(r => !r.Reachable) || ManifestProblems.Count > 0 ? HealthStates.Worst(state, HealthState.Degraded) : state;
        }
    }

    public bool Healthy => State == HealthState.Healthy;

    /// <summary>Files in <paramref name="state"/>.</summary>
    public int Count(HealthState state) => Files.Count(f => f.State == state);

    /// <summary>Remotes the whole scope can still lose (the least file margin); null without files.</summary>
    public int? Margin => Files.Count == 0 ? null : Files.Min(f => f.Margin);

    /// <summary>One line: "degraded: 12 files (10 healthy, 2 degraded, 0 critical, 0 lost), margin 1; unreachable: b:".</summary>
    public string Summary()
    {
        var parts = new List<string>
        {
            $"{State.Name()}: {Files.Count} file{(Files.Count == 1 ? "" : "s")} ({string.Join(", ", Enum.GetValues<HealthState>().Select(s => $"{Count(s)} {s.Name()}"))})" +
            (Margin is { } margin ? $", margin {margin}" : ""),
        };
        if (UnreadableEntries.Count > 0)
        {
            parts.Add($"{UnreadableEntries.Count} entr{(UnreadableEntries.Count == 1 ? "y" : "ies")} with no readable manifest");
        }

        if (Remotes.Where(r => !r.Reachable).Select(r => r.Name).ToList() is { Count: > 0 } unreachable)
        {
            parts.Add($"unreachable: {string.Join(", ", unreachable)}");
        }

        if (ManifestProblems.Count > 0)
        {
            parts.Add($"{ManifestProblems.Count} manifest cop{(ManifestProblems.Count == 1 ? "y" : "ies")} missing or damaged");
        }

        return string.Join("; ", parts);
    }
}
