namespace RclonePool.Server.Live;

/// <summary>How the WebSocket feed treats its clients (docs/events.md). Defaults suit a dashboard; tests shrink them.</summary>
public sealed record LiveOptions
{
    /// <summary>Messages that may wait for one client; one more and the client is too far behind and is closed (1008).</summary>
    public int QueueCapacity { get; init; } = 1024;

    /// <summary>How long a client closed for falling behind gets to take the close frame before its connection is dropped.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Period of the <c>stats</c> topic.</summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest client message accepted; a longer one gets an <c>error</c> reply.</summary>
    public int MaxClientMessageBytes { get; init; } = 4096;

    /// <summary>WebSocket ping period (Kestrel's keep-alive), so idle proxies keep the connection open.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A client that does not answer a ping within this time is dropped.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Events the feed may hold between the pool and the clients (oldest dropped beyond).</summary>
    public int BusQueueCapacity { get; init; } = 8192;
}
