namespace RclonePool.Core.Placement;

/// <summary>
/// <c>round_robin_least_used</c>: round robin while the remotes are evenly used, least used while their utilisation
/// variance (<see cref="Utilisation.Variance"/>) is above <see cref="SwitchVariance"/> percent, so an uneven pool
/// (a remote just added) evens out and then placement cycles again. Thread-safe.
/// </summary>
public sealed class RoundRobinLeastUsedBalancer : IBalancer
{
    /// <summary>The utilisation variance, in percent, above which least used decides.</summary>
    public const double SwitchVariance = 10.0;

    private readonly RoundRobinBalancer _roundRobin = new();
    private readonly LeastUsedBalancer _leastUsed = new();

    public string Name => BalancingStrategies.RoundRobinLeastUsed;

    public int Choose(IReadOnlyList<RemoteLoad> candidates, long bytes) =>
        Utilisation.Variance(candidates) > SwitchVariance
            ? _leastUsed.Choose(candidates, bytes)
            : _roundRobin.Choose(candidates, bytes);
}
