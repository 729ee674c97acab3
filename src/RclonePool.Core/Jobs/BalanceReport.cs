namespace RclonePool.Core.Jobs;

/// <summary><c>balance-status</c>: every remote, the pool's utilisation variance, and whether it is above <c>rebalance_threshold</c>.</summary>
public sealed record BalanceReport(IReadOnlyList<RemoteBalance> Remotes, double Variance, double Threshold)
{
    public bool AboveThreshold => Variance > Threshold;

    public long Used => Remotes.Sum(r => r.Used);
}
