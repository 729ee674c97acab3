namespace RclonePool.Core.Placement;

/// <summary>
/// <c>weighted</c>: the pool's bytes in proportion to the weights. Chooses the remote whose stored bytes (in flight
/// included) per unit of weight are lowest, so weights 2:1 hold bytes 2:1 whatever the sizes of the objects; a remote
/// that joins empty is filled first until it holds its share. Ties go to config order. Stateless.
/// </summary>
public sealed class WeightedBalancer : IBalancer
{
    public string Name => BalancingStrategies.Weighted;

    public int Choose(IReadOnlyList<RemoteLoad> candidates, long bytes)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var best = 0;
        for (var i = 1; i < candidates.Count; i++)
        {
            if ((candidates[i].Used + bytes) / candidates[i].Weight < (candidates[best].Used + bytes) / candidates[best].Weight)
            {
                best = i;
            }
        }

        return best;
    }
}
