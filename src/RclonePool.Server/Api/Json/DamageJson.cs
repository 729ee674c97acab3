namespace RclonePool.Server.Api.Json;

/// <summary>One problem verify found, in the words of the <c>verify</c> command.</summary>
internal sealed record DamageJson(string Kind, string? Path, int? Chunk, string? Remote, string? Object, string Detail);
