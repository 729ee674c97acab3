namespace RclonePool.Core.Manifests;

/// <summary>
/// One line of a <see cref="ManifestPack"/>: a manifest revision exactly as it would be stored alone, or a
/// <see cref="Tombstone"/>. <see cref="Bytes"/> is the record's JSON, the same bytes a single manifest object holds.
/// </summary>
public sealed record PackRecord(string FileId, long Revision, bool IsTombstone, byte[] Bytes);
