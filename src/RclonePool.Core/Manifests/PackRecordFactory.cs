namespace RclonePool.Core.Manifests;

/// <summary>
/// Makes the <see cref="PackRecord"/> of one line of a pack read as a stream (<see cref="ManifestPack.ReadAsync"/>):
/// <paramref name="line"/> is valid only during the call, so the factory copies it or returns a record it already holds
/// with the same bytes (a survey shares one record among the remotes' identical copies).
/// </summary>
public delegate PackRecord PackRecordFactory(string fileId, long revision, bool isTombstone, ReadOnlySpan<byte> line);
