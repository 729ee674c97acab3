namespace RclonePool.Server.Api.Json;

/// <summary>What a repair job did: chunks checked and rewritten, manifest copies written.</summary>
internal sealed record RepairResultJson(string Path, int ChunksChecked, int ChunksRewritten, int ManifestCopiesWritten, bool NothingToRepair);
