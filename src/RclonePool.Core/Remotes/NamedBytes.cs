namespace RclonePool.Core.Remotes;

/// <summary>A small object to write by name into a directory (see <see cref="IRemoteStore.WriteManyAsync"/>).</summary>
public readonly record struct NamedBytes(string Name, ReadOnlyMemory<byte> Bytes);
