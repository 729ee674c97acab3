namespace RclonePool.Server.WebDav.Locking;

/// <summary>The scope of a write lock (RFC 4918 section 6.1).</summary>
internal enum LockScope
{
    Exclusive,
    Shared,
}
