namespace RclonePool.Server.Api.Json;

/// <summary>
/// <c>GET files/{path}</c>: an entry's metadata, its chunks and where they are stored, and its health from the last
/// health check (<c>intact</c>, <c>degraded</c>, <c>damaged</c>, or <c>unknown</c> when none covered it).
/// </summary>
internal sealed record FileJson(
    string Path,
    string Name,
    string Type,
    long Size,
    DateTime Modified,
    IReadOnlyDictionary<string, string> Hashes,
    string Redundancy,
    IReadOnlyList<ChunkJson> Chunks,
    string Health);
