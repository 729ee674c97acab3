namespace RclonePool.Core.Placement;

/// <summary>
/// How evenly the pool's bytes are spread. A remote's fill is the pool's bytes on it over its capacity (those bytes plus
/// its free space, times its weight; its weight alone when some remote cannot report free space, so remotes then count
/// as equal). Its deviation is how far its fill lies from the pool's fill, in percent of the pool's fill: 0 when the
/// remote holds exactly its share, -100 when it is empty. The utilisation variance is the root mean square of the
/// deviations, in percent: 0 for a perfectly even pool; 3 remotes full and a 4th empty give 57.7.
/// Remotes on one filesystem report the same free space, so their capacities are equal and the measure still works. A
/// remote being drained has no capacity: its share is 0, and its own deviation is left out (counted as 0).
/// </summary>
public static class Utilisation
{
    /// <summary>Each remote's deviation from the pool's fill, in percent, in the order given; all 0 for an empty pool.</summary>
    public static IReadOnlyList<double> Deviations(IReadOnlyList<RemoteLoad> loads)
    {
        ArgumentNullException.ThrowIfNull(loads);
        var capacities = Capacities(loads);
        var totalCapacity = capacities.Sum();
        var totalUsed = (double)loads.Sum(l => l.Used);
        if (totalUsed <= 0 || totalCapacity <= 0)
        {
            return [.. loads.Select(_ => 0.0)];
        }

        return [.. loads.Select((l, i) => capacities[i] <= 0 ? 0.0 : ((l.Used / capacities[i] / (totalUsed / totalCapacity)) - 1) * 100)];
    }

    /// <summary>The root mean square of <see cref="Deviations"/>, in percent.</summary>
    public static double Variance(IReadOnlyList<RemoteLoad> loads)
    {
        var deviations = Deviations(loads);
        return deviations.Count == 0 ? 0 : Math.Sqrt(deviations.Sum(d => d * d) / deviations.Count);
    }

    /// <summary>
    /// The bytes each remote holds when the pool's bytes (<paramref name="totalUsed"/>) are spread exactly by capacity:
    /// what rebalancing aims for.
    /// </summary>
    public static IReadOnlyList<double> Targets(IReadOnlyList<RemoteLoad> loads, long totalUsed)
    {
        ArgumentNullException.ThrowIfNull(loads);
        var capacities = Capacities(loads);
        var totalCapacity = capacities.Sum();
        return [.. capacities.Select(c => totalCapacity <= 0 ? 0 : totalUsed * c / totalCapacity)];
    }

    private static double[] Capacities(IReadOnlyList<RemoteLoad> loads)
    {
        var allKnown = loads.All(l => l.Free is not null);
        return [.. loads.Select(l => l.Draining ? 0 : allKnown ? (l.Stored + Math.Max(0, l.Free!.Value)) * l.Weight : l.Weight)];
    }
}
