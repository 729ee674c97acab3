namespace RclonePool.Core.Remotes.Rcd;

/// <summary>Where one incarnation of the daemon listens; <see cref="Generation"/> tells incarnations apart after restarts.</summary>
internal sealed record RcdEndpoint(Uri BaseAddress, int ProcessId, int Generation);
