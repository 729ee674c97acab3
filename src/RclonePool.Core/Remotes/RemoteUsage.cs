namespace RclonePool.Core.Remotes;

/// <summary>Space on one remote as rclone's <c>about</c> reports it. Null members are unknown to the backend.</summary>
public sealed record RemoteUsage(long? Total, long? Used, long? Free);
