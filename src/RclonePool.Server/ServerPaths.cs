namespace RclonePool.Server;

/// <summary>Where each part of the server lives, by <see cref="ServerRole"/>.</summary>
public static class ServerPaths
{
    /// <summary>The prefix under which <c>serve</c> keeps its own endpoints; WebDAV never sees paths below it.</summary>
    public const string Reserved = "/_rclonepool";

    /// <summary>The REST API's prefix: <c>/api/v1</c> for the API server, <c>/_rclonepool/api/v1</c> beside WebDAV.</summary>
    public static string Api(ServerRole role) => role == ServerRole.Api ? "/api/v1" : Reserved + "/api/v1";

    /// <summary>The WebSocket's path: <c>/ws</c> for the API server, <c>/_rclonepool/ws</c> beside WebDAV.</summary>
    public static string Events(ServerRole role) => role == ServerRole.Api ? "/ws" : Reserved + "/ws";
}
