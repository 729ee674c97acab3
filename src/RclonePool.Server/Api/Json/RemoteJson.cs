namespace RclonePool.Server.Api.Json;

/// <summary>
/// <c>GET remotes</c>: one remote with its space, the objects the pool keeps on it, whether it answers and its circuit
/// (<c>closed</c>, <c>open</c>); <see cref="Name"/> is the remote as the config's <c>remotes</c> names it, <see cref="Remote"/>
/// the rclone remote that stores its bytes (its crypt overlay with <c>use_crypt</c>).
/// </summary>
internal sealed record RemoteJson(
    string Name,
    string Remote,
    long UsedBytes,
    long? FreeBytes,
    long? TotalBytes,
    long Objects,
    bool Answering,
    string Circuit,
    bool Draining,
    double Weight,
    int Priority);
