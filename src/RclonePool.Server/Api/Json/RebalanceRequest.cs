namespace RclonePool.Server.Api.Json;

/// <summary><c>POST rebalance</c>: as the <c>rebalance</c> command's --dry-run, --target-variance and --max-bytes.</summary>
internal sealed record RebalanceRequest(bool DryRun = false, double TargetVariance = 5.0, long? MaxBytes = null);
