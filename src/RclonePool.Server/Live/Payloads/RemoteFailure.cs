namespace RclonePool.Server.Live.Payloads;

/// <summary>remote_error: a remote call failed (each attempt, retried or not).</summary>
internal sealed record RemoteFailure(string? Remote, string? Operation, string? Kind, string? Detail);
