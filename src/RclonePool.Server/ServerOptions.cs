using RclonePool.Server.Auth;
using RclonePool.Server.Live;
using RclonePool.Server.Metrics;
using RclonePool.Server.Tls;

namespace RclonePool.Server;

/// <summary>How the pool server binds and what it accepts. Defaults are safe for a single user on one machine.</summary>
public sealed record ServerOptions
{
    /// <summary>Address to listen on: an IP literal, <c>localhost</c>, <c>*</c> (all IPv4 and IPv6) or a host name.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 lets the operating system choose (read the real one from <see cref="RunningServer.Urls"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Optional URL prefix the pool is served under, such as <c>/dav</c>; requests outside it get 404.</summary>
    public string? PathBase { get; init; }

    /// <summary>Largest request body (a PUT's file) accepted, in bytes; null for no limit.</summary>
    public long? MaxRequestBodySize { get; init; } = 1L << 40;

    /// <summary>Largest XML request body (PROPFIND, PROPPATCH, LOCK) accepted, in bytes.</summary>
    public int MaxXmlBodySize { get; init; } = 1 << 20;

    /// <summary>Most byte ranges served as multipart/byteranges; a request with more (after merging) gets the whole file.</summary>
    public int MaxRanges { get; init; } = 16;

    /// <summary>Lock timeout granted when a LOCK asks for none.</summary>
    public TimeSpan DefaultLockTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Longest lock timeout granted (also what <c>Infinite</c> becomes).</summary>
    public TimeSpan MaxLockTimeout { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Time to receive a request's headers before the connection is closed.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle time allowed between requests on a kept-alive connection.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Slowest request body (upload) rate tolerated, in bytes/s, after a grace period of <see cref="MinDataRateGracePeriod"/>.</summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    /// <summary>Slowest response (download) rate tolerated, in bytes/s, after a grace period of <see cref="MinDataRateGracePeriod"/>.</summary>
    public double MinResponseBytesPerSecond { get; init; } = 240;

    public TimeSpan MinDataRateGracePeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most simultaneous connections; null for no limit.</summary>
    public long? MaxConcurrentConnections { get; init; }

    /// <summary>
    /// Checks every request before it reaches the pool (all but <c>GET /healthz</c> and <c>GET /readyz</c>); null means
    /// no authentication, which is refused beyond loopback unless <see cref="AllowUnauthenticatedRemoteAccess"/>.
    /// </summary>
    public IRequestAuthenticator? Authenticator { get; init; }

    /// <summary>Serve HTTPS with these certificate files (TLS 1.2 and 1.3, HTTP/1.1 and HTTP/2); null serves plain HTTP.</summary>
    public CertificateFiles? Https { get; init; }

    /// <summary>
    /// Lets the server start without <see cref="Authenticator"/> on an address beyond loopback (<c>serve
    /// --insecure-no-auth</c>); without it, such a start is refused.
    /// </summary>
    public bool AllowUnauthenticatedRemoteAccess { get; init; }

    /// <summary>
    /// Loops run in the background while the server runs (health monitoring), each started with the server and
    /// cancelled, then awaited, when it stops.
    /// </summary>
    public IReadOnlyList<Func<CancellationToken, Task>> BackgroundWork { get; init; } = [];

    /// <summary>WebDAV with the API under <c>/_rclonepool</c> (<c>serve</c>), or the API alone at <c>/api/v1</c> (<c>api</c>).</summary>
    public ServerRole Role { get; init; } = ServerRole.WebDav;

    /// <summary>
    /// The REST API's job registry when it is shared with another server of the same process (<c>serve</c> with
    /// <c>enable_api_server</c>); its creator disposes it. Null: the server keeps its own, stopped with it.
    /// </summary>
    public Api.Jobs.JobRegistry? Jobs { get; init; }

    /// <summary>
    /// Serve the web UI (<c>enable_webui</c>): its files under <c>/_rclonepool/ui/</c> and its page for browsers'
    /// navigations to directories; WebDAV clients still get WebDAV at the same URLs.
    /// </summary>
    public bool EnableWebUi { get; init; } = true;

    /// <summary>The Prometheus endpoint (<c>enable_metrics</c>): a second listener on <see cref="Host"/> serving only <c>GET /metrics</c>; null for none.</summary>
    public MetricsOptions? Metrics { get; init; }

    /// <summary>How the WebSocket event feed treats its clients (queue bound, close timeout, keep-alive).</summary>
    public LiveOptions Live { get; init; } = new();

    /// <summary>
    /// Before listening, run the WebDAV request paths once on a scratch pool under the served pool's <c>temp_dir</c>
    /// (DavWarmUp), so the first clients' requests are not slowed by compiling them; <c>serve</c> turns it on.
    /// </summary>
    public bool WarmUp { get; init; }

    /// <summary>Clock for lock timeouts and dates.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
