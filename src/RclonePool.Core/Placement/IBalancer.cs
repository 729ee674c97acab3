namespace RclonePool.Core.Placement;

/// <summary>
/// Chooses the remote for the next stored object among candidates that can hold it. Built-in strategies and
/// balancer plugins implement this; the placement session does the bookkeeping.
/// </summary>
public interface IBalancer
{
    /// <summary>The name used in <c>balancing_strategy</c>.</summary>
    string Name { get; }

    /// <summary>Index into <paramref name="candidates"/> (never empty, all able to hold <paramref name="bytes"/>).</summary>
    int Choose(IReadOnlyList<RemoteLoad> candidates, long bytes);
}
