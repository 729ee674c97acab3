namespace RclonePool.Server;

/// <summary>What a server started by <see cref="PoolServer"/> serves.</summary>
public enum ServerRole
{
    /// <summary><c>serve</c>: WebDAV at the root, the REST API and the WebSocket under the reserved prefix <c>/_rclonepool</c>.</summary>
    WebDav,

    /// <summary><c>api</c> (and <c>enable_api_server</c>): the REST API at <c>/api/v1</c> and the WebSocket at <c>/ws</c>, no WebDAV.</summary>
    Api,
}
