namespace RclonePool.Core.Pool;

/// <summary>
/// The pool the remotes belong to, and the configured remotes without a pool descriptor: a remote added to the
/// config but not initialised, or one that lost everything (a replaced account, a deleted directory). Reads go around
/// them and no new data is placed on them until 'rclonepool init' (a new remote) or 'rclonepool rebuild' (a lost
/// one) writes their descriptor.
/// </summary>
public sealed record PoolIdentity(string PoolId, IReadOnlyList<string> WithoutDescriptor);
