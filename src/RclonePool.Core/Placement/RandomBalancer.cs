namespace RclonePool.Core.Placement;

/// <summary>
/// <c>random</c>: a remote drawn at random, each with probability proportional to its weight (uniform without
/// weights). Thread-safe; a seeded <see cref="Random"/> makes it repeatable (tests).
/// </summary>
public sealed class RandomBalancer(Random? random = null) : IBalancer
{
    private readonly Random _random = random ?? Random.Shared;
    private readonly Lock _lock = new();

    public string Name => BalancingStrategies.Random;

    public int Choose(IReadOnlyList<RemoteLoad> candidates, long bytes)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        double draw;
        lock (_lock)
        {
            draw = _random.NextDouble() * candidates.Sum(c => c.Weight);
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            draw -= candidates[i].Weight;
            if (draw < 0)
            {
                return i;
            }
        }

        return candidates.Count - 1;
    }
}
