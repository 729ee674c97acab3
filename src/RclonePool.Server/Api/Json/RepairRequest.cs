namespace RclonePool.Server.Api.Json;

/// <summary><c>POST repair</c>: rewrites the damaged chunks of <see cref="FilePath"/> from a good copy on the server's disk.</summary>
internal sealed record RepairRequest(string? FilePath, string? LocalSource);
