namespace RclonePool.Server.Api.Json;

/// <summary>What a rebalance job did (or, with dry_run, would do): objects and bytes moved, failures, variance before and after.</summary>
internal sealed record RebalanceResultJson(bool DryRun, double VarianceBefore, double VarianceAfter, int PlannedMoves, int Moved, long BytesMoved, IReadOnlyList<string> Failed);
