namespace RclonePool.Server.Live.Payloads;

/// <summary>verification: one file verified; <c>detail</c> is "intact" or what is damaged.</summary>
internal sealed record VerificationResult(string Path, bool Intact, string? Detail);
