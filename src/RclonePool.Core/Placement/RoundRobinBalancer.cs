namespace RclonePool.Core.Placement;

/// <summary>
/// <c>round_robin</c>: the remotes in turn, in config order. With weights, a smooth weighted round robin: over a cycle
/// each remote is chosen in proportion to its weight, interleaved rather than in runs. A remote that cannot take an
/// object (full, excluded, already holding a copy of the chunk) is passed over and keeps its turn for later.
/// Keeps its position across operations; thread-safe.
/// </summary>
public sealed class RoundRobinBalancer : IBalancer
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, double> _credit = new(StringComparer.Ordinal);

    public string Name => BalancingStrategies.RoundRobin;

    public int Choose(IReadOnlyList<RemoteLoad> candidates, long bytes)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        lock (_lock)
        {
            var best = 0;
            var bestCredit = double.NegativeInfinity;
            var total = 0.0;
            for (var i = 0; i < candidates.Count; i++)
            {
                var credit = _credit.GetValueOrDefault(candidates[i].Remote) + candidates[i].Weight;
                _credit[candidates[i].Remote] = credit;
                total += candidates[i].Weight;
                if (credit > bestCredit)
                {
                    best = i;
                    bestCredit = credit;
                }
            }

            _credit[candidates[best].Remote] = bestCredit - total;
            return best;
        }
    }
}
