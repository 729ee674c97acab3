namespace RclonePool.Server.Api.Json;

/// <summary>A file that is not healthy: its state and how many more remotes it can lose.</summary>
internal sealed record FileHealthJson(string Path, string State, int Margin);
