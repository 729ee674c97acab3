using RclonePool.Core.Paths;

namespace RclonePool.Server.WebDav.Locking;

/// <summary>One write lock held on <see cref="Root"/> (and, with <see cref="Infinite"/> depth, everything below it).</summary>
internal sealed record ActiveLock
{
    /// <summary>The lock token, <c>opaquelocktoken:&lt;uuid&gt;</c>.</summary>
    public required string Token { get; init; }

    public required PoolPath Root { get; init; }

    public required LockScope Scope { get; init; }

    /// <summary>Depth infinity: the lock covers the whole subtree below <see cref="Root"/>.</summary>
    public required bool Infinite { get; init; }

    /// <summary>The client's <c>DAV:owner</c> content as an XML fragment, returned unchanged; null when none was given.</summary>
    public string? Owner { get; init; }

    public required TimeSpan Timeout { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>True when this lock applies to <paramref name="path"/> (its root, or below an infinite-depth root).</summary>
    public bool Covers(PoolPath path) => Root == path || (Infinite && Root.Contains(path));

    /// <summary>True when this lock and a new one of <paramref name="scope"/> cannot both be held.</summary>
    public bool ConflictsWith(LockScope scope) => Scope == LockScope.Exclusive || scope == LockScope.Exclusive;
}
