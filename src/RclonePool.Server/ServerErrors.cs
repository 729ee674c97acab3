using RclonePool.Core.Errors;

namespace RclonePool.Server;

/// <summary>The server's start-up refusals, each saying what to do.</summary>
internal static class ServerErrors
{
    public static PoolException OpenWithoutAuthentication(string host) => new(PoolErrorKind.BadInput,
        $"Refusing to serve on '{host}' without authentication: that address is reachable beyond this machine, and anyone who reaches it could read, change and delete every file in the pool. " +
        "Enable authentication (rclonepool user add NAME, then serve --auth basic, or set webdav_auth_method), listen on 127.0.0.1, " +
        "or pass --insecure-no-auth to accept the risk.");

    public static PoolException UsersWithoutAuthentication() => new(PoolErrorKind.BadInput,
        "The users section gives each user a pool of their own, so every request must say who makes it, and authentication is off. " +
        "Set webdav_auth_method to basic, api_key or bearer (or pass --auth), with the users' passwords ('rclonepool user add NAME') or keys ('rclonepool key create NAME').");
}
