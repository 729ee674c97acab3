using RclonePool.Core.Manifests;

namespace RclonePool.Core.Jobs;

/// <summary>
/// A stored object rebalancing may move: named by exactly one manifest, of a file whose chunk keeps its other objects on
/// <see cref="ChunkRemotes"/> (a move never puts two objects of one chunk on one remote).
/// </summary>
public sealed record MovableObject(Manifest File, ChunkEntry Chunk, ChunkLocation Location)
{
    public IEnumerable<string> ChunkRemotes => Chunk.Locations.Select(l => l.Remote);

    public ChunkMove To(string remote) => new(File.Path, File.FileId, File.Revision, Chunk.Index, Location, remote);
}
