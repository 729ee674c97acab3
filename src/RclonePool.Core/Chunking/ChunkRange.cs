namespace RclonePool.Core.Chunking;

/// <summary>Chunk <see cref="Index"/> of a file: <see cref="Length"/> bytes from <see cref="Offset"/>.</summary>
public readonly record struct ChunkRange(int Index, long Offset, long Length);
