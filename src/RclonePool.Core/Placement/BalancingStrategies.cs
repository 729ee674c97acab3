using RclonePool.Core.Errors;

namespace RclonePool.Core.Placement;

/// <summary>The built-in placement strategies, by their <c>balancing_strategy</c> names.</summary>
public static class BalancingStrategies
{
    public const string LeastUsed = "least_used";
    public const string RoundRobin = "round_robin";
    public const string Weighted = "weighted";
    public const string Random = "random";
    public const string RoundRobinLeastUsed = "round_robin_least_used";

    public static IReadOnlyList<string> Names { get; } = [LeastUsed, RoundRobin, Weighted, Random, RoundRobinLeastUsed];

    /// <summary>A new balancer of the named strategy (one per pool: round robin keeps its turn in it).</summary>
    public static IBalancer Create(string name) => name switch
    {
        LeastUsed => new LeastUsedBalancer(),
        RoundRobin => new RoundRobinBalancer(),
        Weighted => new WeightedBalancer(),
        Random => new RandomBalancer(),
        RoundRobinLeastUsed => new RoundRobinLeastUsedBalancer(),
        _ => throw new PoolException(PoolErrorKind.BadInput, $"balancing_strategy {name} is not a strategy; use one of {string.Join(", ", Names)}."),
    };
}
