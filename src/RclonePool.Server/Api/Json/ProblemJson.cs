namespace RclonePool.Server.Api.Json;

/// <summary>An RFC 9457 problem, as a failed job reports its error.</summary>
internal sealed record ProblemJson(string Type, string Title, int Status, string Detail);
