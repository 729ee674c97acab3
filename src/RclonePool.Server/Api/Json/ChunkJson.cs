namespace RclonePool.Server.Api.Json;

/// <summary>One chunk of a file: where it lies in the file and the objects that hold it.</summary>
internal sealed record ChunkJson(int Index, long Offset, long Size, IReadOnlyList<LocationJson> Locations);
