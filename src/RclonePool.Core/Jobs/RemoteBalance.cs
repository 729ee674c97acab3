namespace RclonePool.Core.Jobs;

/// <summary>One remote in <c>balance-status</c>.</summary>
/// <param name="Used">Bytes the pool stores on the remote.</param>
/// <param name="Free">Free space rclone reports, or null when it cannot tell.</param>
/// <param name="Total">The remote's size as rclone reports it, or null.</param>
/// <param name="Share">The remote's part of the pool's bytes, in percent.</param>
/// <param name="Objects">Chunk objects (copies and shards) the manifests place on it.</param>
/// <param name="Deviation">How far its fill lies from the pool's, in percent of the pool's fill.</param>
public sealed record RemoteBalance(string Remote, long Used, long? Free, long? Total, double Share, long Objects, double Deviation, double Weight, int Priority);
