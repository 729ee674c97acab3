namespace RclonePool.Core.Quotas;

/// <summary>
/// What one pool may hold: logical bytes (the sum of its files' sizes, whatever redundancy, compression or deduplication
/// make of them on the remotes) and files (directories not counted). 0 means no limit.
/// </summary>
/// <param name="Owner">The user the quota is for (messages and <c>stats</c> name it).</param>
/// <param name="Bytes">The most logical bytes (<c>quota_bytes</c>); 0 for no limit.</param>
/// <param name="Files">The most files (<c>quota_files</c>); 0 for no limit.</param>
public sealed record QuotaLimits(string Owner, long Bytes, long Files)
{
    /// <summary>True when either limit is set.</summary>
    public bool Limited => Bytes > 0 || Files > 0;
}
