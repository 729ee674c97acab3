namespace RclonePool.Core.Index;

/// <summary>
/// One WebDAV write lock as a shared index stores it (<see cref="ISharedDavLocks"/>): the server's lock without its
/// protocol types. <see cref="Root"/> is a pool path; <see cref="ExpiresAt"/> is the holding gateway's clock.
/// </summary>
public sealed record DavLockRow(
    string Token,
    string Root,
    bool Exclusive,
    bool Infinite,
    string? Owner,
    TimeSpan Timeout,
    DateTimeOffset ExpiresAt);
