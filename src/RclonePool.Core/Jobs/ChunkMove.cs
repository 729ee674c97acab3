using RclonePool.Core.Manifests;

namespace RclonePool.Core.Jobs;

/// <summary>
/// One stored object (a whole copy or a parity shard of one chunk) of revision <see cref="Revision"/> of a file, to be
/// moved from <see cref="From"/>'s remote to <see cref="To"/>.
/// </summary>
public sealed record ChunkMove(string Path, string FileId, long Revision, int Chunk, ChunkLocation From, string To)
{
    public long Bytes => From.StoredLength;
}
