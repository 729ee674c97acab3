namespace RclonePool.Server.Auth;

/// <summary>How a client proves who it is (<c>webdav_auth_method</c>, <c>serve --auth</c>).</summary>
public enum AuthMethod
{
    /// <summary>No credentials asked.</summary>
    None,

    /// <summary>HTTP Basic (RFC 7617) against the password hashes of <c>webdav_users</c>.</summary>
    Basic,

    /// <summary>A key created by <c>rclonepool key create</c> in the <c>X-API-Key</c> header.</summary>
    ApiKey,

    /// <summary>A key created by <c>rclonepool key create</c> as <c>Authorization: Bearer</c> (RFC 6750).</summary>
    Bearer,
}
