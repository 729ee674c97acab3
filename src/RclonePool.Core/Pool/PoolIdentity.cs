namespace RclonePool.Core.Pool;

/// <summary>
/// The pool the remotes belong to, and the configured remotes without a pool descriptor: a remote added to the
/// config but not initialised, or one that lost everything (a replaced account, a deleted directory). Reads go around
/// them and no new data is placed on them until 'rclonepool init' (a new remote) or 'rclonepool rebuild' (a lost
/// one) writes their descriptor.
/// </summary>
/// <param name="FormatVersion">The highest pool format a descriptor names (<see cref="Manifests.PoolDescriptor.PackedFormatVersion"/>: some manifests are in packs).</param>
public sealed record PoolIdentity(string PoolId, IReadOnlyList<string> WithoutDescriptor, int FormatVersion = Manifests.PoolDescriptor.PlainFormatVersion);
