namespace RclonePool.Server.Api.Json;

/// <summary>202 to a request that started a job: its id, kind, state and where to follow it.</summary>
internal sealed record JobAcceptedJson(string Id, string Kind, string State, string Href);
