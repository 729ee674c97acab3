namespace RclonePool.Core.Remotes;

/// <summary>A small object to write by name into a directory (see <see cref="RemoteStoreCapabilities.WriteManyAsync"/>).</summary>
public readonly record struct NamedBytes(string Name, ReadOnlyMemory<byte> Bytes);
