namespace RclonePool.Server.Api.Json;

/// <summary><c>POST verify</c>: a file or directory (the whole pool when absent); <see cref="Quick"/> checks sizes only.</summary>
internal sealed record VerifyRequest(string? FilePath = null, bool Quick = false);
