namespace RclonePool.Server.Api.Json;

/// <summary><c>POST directories</c>: the directory to create.</summary>
internal sealed record DirectoryRequest(string? Path);
