namespace RclonePool.Server.Api.Json;

/// <summary><c>POST mv</c>: renames <see cref="From"/> to <see cref="To"/>; replaces an existing target only with <see cref="Overwrite"/>.</summary>
internal sealed record MoveRequest(string? From, string? To, bool Overwrite = false);
