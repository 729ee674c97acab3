namespace RclonePool.Server.WebUi;

/// <summary>Where the web UI's page finds its assets and its backend; written into the page as meta tags.</summary>
public sealed record WebUiOptions
{
    /// <summary>The prefix of rclonepool's own endpoints beside WebDAV (the API, the WebSocket, the UI); never a pool path.</summary>
    public const string ReservedPrefix = "/_rclonepool";

    /// <summary>The prefix every UI asset is served under.</summary>
    public const string AssetPrefix = ReservedPrefix + "/ui";

    /// <summary>Base URL of the REST API the page calls (<c>files</c>, <c>status</c>, ... are relative to it).</summary>
    public string ApiBase { get; init; } = "/_rclonepool/api/v1";

    /// <summary>Path of the WebSocket the page subscribes to for live figures.</summary>
    public string WebSocketPath { get; init; } = "/_rclonepool/ws";

    /// <summary>The WebDAV path base (empty at the root): a directory URL is this plus the pool path.</summary>
    public string DavBase { get; init; } = string.Empty;
}
