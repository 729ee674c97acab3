namespace RclonePool.Core.Quotas;

/// <summary>What a pool holds against its quota.</summary>
/// <param name="Bytes">Logical bytes of the files in the index.</param>
/// <param name="Files">Files in the index.</param>
/// <param name="ReservedBytes">Bytes held for uploads in flight (counted against the quota, not yet in the index).</param>
/// <param name="ReservedFiles">Files held for uploads in flight.</param>
/// <param name="Limits">The quota.</param>
public readonly record struct QuotaUsage(long Bytes, long Files, long ReservedBytes, long ReservedFiles, QuotaLimits Limits);
