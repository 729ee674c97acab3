namespace RclonePool.Server.Live.Payloads;

/// <summary>A client message: <c>{"action":"subscribe","topic":"upload_progress"}</c> or <c>unsubscribe</c>.</summary>
internal sealed record ClientRequest(string? Action, string? Topic);
