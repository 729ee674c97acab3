namespace RclonePool.Core.Placement;

/// <summary>
/// <c>least_used</c>: the remote with the most free space after in-flight reservations; when some remote
/// cannot report free space, the remote where the pool stores the fewest bytes (in flight included).
/// Ties go to the fewest stored bytes, then to config order.
/// </summary>
public sealed class LeastUsedBalancer : IBalancer
{
    public string Name => "least_used";

    public int Choose(IReadOnlyList<RemoteLoad> candidates, long bytes)
    {
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
        if (byFreeSpace && Math.Abs(a.Available!.Value - b.Available!.Value) > Tolerance(a.Available.Value, b.Available.Value))
        {
            return a.Available > b.Available;
        }

        return a.Stored + a.Reserved < b.Stored + b.Reserved;
    }

    private static long Tolerance(long a, long b) => Math.Max(64L << 20, Math.Max(a, b) / 100);
}
