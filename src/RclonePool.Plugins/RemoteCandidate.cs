namespace RclonePool.Plugins;

/// <summary>A remote that can hold the next chunk: its pool name, free space (null when unknown), the pool's bytes on it, its weight.</summary>
public sealed record RemoteCandidate(string Name, long? Free, long Used, double Weight);
