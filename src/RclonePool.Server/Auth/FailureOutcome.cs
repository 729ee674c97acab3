namespace RclonePool.Server.Auth;

/// <summary>What a recorded failure leads to.</summary>
/// <param name="Failures">Failures of this client in a row (the first is 1).</param>
/// <param name="Delay">How long to wait before answering 401.</param>
/// <param name="LockedUntil">Set when this failure locked the client out: answer 429.</param>
internal readonly record struct FailureOutcome(int Failures, TimeSpan Delay, DateTimeOffset? LockedUntil);
