namespace RclonePool.Server.Live.Payloads;

/// <summary>files: a file event (the hook name: POST_UPLOAD, POST_DELETE, …).</summary>
internal sealed record FileChange(string Event, string? Path, long? Size, string? Detail);
