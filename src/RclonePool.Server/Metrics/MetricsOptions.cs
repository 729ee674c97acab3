namespace RclonePool.Server.Metrics;

/// <summary>The Prometheus endpoint of a server (<c>enable_metrics</c>, <c>metrics_port</c>; docs/metrics.md).</summary>
public sealed record MetricsOptions
{
    /// <summary>Port of the second listener, on the server's host, that serves only <c>GET /metrics</c>; 0 lets the OS choose.</summary>
    public int Port { get; init; } = 9090;

    /// <summary>Free space (rclone about) is asked of the remotes at most this often; a scrape never waits for it longer than <see cref="ScrapeWait"/>.</summary>
    public TimeSpan RemoteRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Index size and objects per remote are counted from the index at most this often.</summary>
    public TimeSpan IndexRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a scrape waits for a refresh it started; then it answers with the last values.</summary>
    public TimeSpan ScrapeWait { get; init; } = TimeSpan.FromSeconds(1);
}
