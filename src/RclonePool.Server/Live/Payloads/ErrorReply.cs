namespace RclonePool.Server.Live.Payloads;

/// <summary>error: what was wrong with a client message, and what to send instead.</summary>
internal sealed record ErrorReply(string Detail, IReadOnlyList<string> Topics);
