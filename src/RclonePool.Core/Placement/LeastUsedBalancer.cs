namespace RclonePool.Core.Placement;

/// <summary>
/// <c>least_used</c>: the remote with the most free space after in-flight reservations; when some remote
/// cannot report free space, the remote where the pool stores the fewest bytes (in flight included). A weight scales
/// the comparison: a remote of weight 2 counts as having twice the free space (or half the stored bytes).
/// Ties go to the fewest stored bytes, then to config order. Stateless.
/// </summary>
public sealed class LeastUsedBalancer : IBalancer
{
    public string Name => BalancingStrategies.LeastUsed;

    public int Choose(IReadOnlyList<RemoteLoad> candidates, long bytes)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var allKnown = candidates.All(c => c.Free is not null);
        var best = 0;
        for (var i = 1; i < candidates.Count; i++)
        {
            if (IsBetter(candidates[i], candidates[best], allKnown))
            {
                best = i;
            }
        }

        return best;
    }

    private static bool IsBetter(RemoteLoad a, RemoteLoad b, bool byFreeSpace)
    {
        // Remotes on one filesystem report the same free space, measured a moment apart while other writers run:
        // differences within the tolerance are noise, and the pool's own bytes decide.
        if (byFreeSpace)
        {
            var freeA = a.Available!.Value * a.Weight;
            var freeB = b.Available!.Value * b.Weight;
            if (Math.Abs(freeA - freeB) > Tolerance(freeA, freeB))
            {
                return freeA > freeB;
            }
        }

        return a.Used / a.Weight < b.Used / b.Weight;
    }

    private static double Tolerance(double a, double b) => Math.Max(64L << 20, Math.Max(a, b) / 100);
}
