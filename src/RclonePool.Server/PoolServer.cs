using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server.Api;
using RclonePool.Server.Auth;
using RclonePool.Server.Health;
using RclonePool.Server.Live;
using RclonePool.Server.Metrics;
using RclonePool.Server.Tls;
using RclonePool.Server.Transport;
using RclonePool.Server.Users;
using RclonePool.Server.WebDav;
using RclonePool.Server.WebUi;

namespace RclonePool.Server;

/// <summary>
/// Hosts the pool on Kestrel: WebDAV at the root (or under <see cref="ServerOptions.PathBase"/>) with the REST API under
/// <c>/_rclonepool/api/v1</c>, or (<see cref="ServerRole.Api"/>) the REST API alone at <c>/api/v1</c>.
/// </summary>
public static class PoolServer
{
    /// <summary>
    /// Binds, starts serving <paramref name="pool"/> and returns once the listening sockets are open. Port 0 binds a
    /// port the operating system chooses; <see cref="RunningServer.Urls"/> has the real addresses.
    /// </summary>
    public static Task<RunningServer> StartAsync(
        IPoolFileSystem pool,
        ServerOptions options,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return StartCoreAsync(pool, null, options, loggerFactory, cancellationToken);
    }

    /// <summary>
    /// Binds and starts serving one pool per user of <paramref name="users"/> (the <c>users</c> section): each request
    /// acts only on the pool of the user it authenticated as, seen at <c>/</c>; a user without a pool gets 403.
    /// Authentication is required. The caller owns <paramref name="users"/> and disposes it after the server stopped.
    /// </summary>
    public static Task<RunningServer> StartAsync(
        UserPools users,
        ServerOptions options,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Authenticator is null)
        {
            throw ServerErrors.UsersWithoutAuthentication();
        }

        return StartCoreAsync(null, users, options, loggerFactory, cancellationToken);
    }

    private static async Task<RunningServer> StartCoreAsync(
        IPoolFileSystem? pool,
        UserPools? users,
        ServerOptions options,
        ILoggerFactory? loggerFactory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var addresses = await ResolveAsync(options.Host, cancellationToken);
        if (options.Authenticator is null && !options.AllowUnauthenticatedRemoteAccess && !IsLoopbackOnly(addresses))
        {
            throw ServerErrors.OpenWithoutAuthentication(options.Host);
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "rclonepool" });
        builder.Services.AddSystemd(); // under systemd (Type=notify): READY=1 once listening, STOPPING=1 on stop; nothing otherwise
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        if (pool is not null)
        {
            PoolPipeline.AddServices(builder.Services, pool, options);
        }

        foreach (var work in options.BackgroundWork)
        {
            builder.Services.AddSingleton<IHostedService>(new BackgroundLoop(work));
        }

        builder.Services.AddRouting(); // endpoints (the event feed, the API) sit after authentication, before WebDAV
        builder.Services.AddSingleton(options.Live);

        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>(); // docs/benchmarks.md: 256 KiB socket buffers
        if (options.Https is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }
        var metricsListeners = new List<ListenOptions>();
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options, addresses, metricsListeners));

        var app = builder.Build();
        var router = users is null ? null : new UserRouter(users, options, app.Services, loggerFactory);
        var apiPrefix = ServerPaths.Api(options.Role);
        var metrics = options.Metrics is { } metricsOptions
            ? new PoolMetrics(pool, app.Services.GetService<IJobCounts>(), metricsOptions, options.TimeProvider, loggerFactory.CreateLogger("RclonePool.Server.Metrics"))
            : null;
        if (metrics is not null)
        {
            router?.AddMetrics(metrics);
            app.Lifetime.ApplicationStopped.Register(metrics.Dispose);
            app.UseMetricsListener(metrics, options.Authenticator, router is null ? null : router.MayScrape);
            app.UseMiddleware<RequestTiming>(metrics, options.TimeProvider);
        }

        app.UseMiddleware<HealthEndpoints>(router is null ? () => PoolReadiness.IsReady(pool!) : new Func<bool>(router.IsReady));
        // The loopback warm-up lists a scratch pool through the whole pipeline (WebDAV servers of one pool).
        var warmUp = options.WarmUp && pool is StoragePool && options.Role == ServerRole.WebDav ? new WarmUpRoute() : null;
        app.UseRequestAuthentication(options.Authenticator is { } authenticator && warmUp is not null
            ? new WarmUpAuthenticator(authenticator, warmUp)
            : options.Authenticator);
        string pathBase;
        if (router is not null)
        {
            app.Lifetime.ApplicationStopped.Register(router.Dispose);
            app.Run(router.InvokeAsync);
            pathBase = router.PathBase;
        }
        else
        {
            pathBase = PoolPipeline.Use(app, pool!, options, loggerFactory, warmUp);
        }

        DavScratch? scratch = null;
        try
        {
            if (options.WarmUp && pool is StoragePool storage)
            {
                // The REST API's endpoints are built on the first request of any kind (minimal API delegates, JSON
                // metadata): build them now, then run the WebDAV paths, all before the socket listens.
                _ = app.Services.GetService<Microsoft.AspNetCore.Routing.EndpointDataSource>()?.Endpoints;
                if (warmUp is not null)
                {
                    scratch = await DavWarmUp.RunAsync(storage.Config, options, loggerFactory.CreateLogger("RclonePool.Server"), cancellationToken);
                }
            }

            await app.StartAsync(cancellationToken);
        }
        catch
        {
            if (scratch is not null)
            {
                await scratch.DisposeAsync();
            }

            await app.DisposeAsync();
            throw;
        }

        var server = app.Services.GetRequiredService<IServer>();
        var metricsPorts = metricsListeners.Select(l => l.IPEndPoint?.Port).ToHashSet();
        var all = server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).ToArray() ?? [];
        var bound = all.Where(u => !metricsPorts.Contains(u.Port)).ToArray();
        var metricsUrl = all.Where(u => metricsPorts.Contains(u.Port)).Select(u => new Uri(u, MetricsListener.Path)).FirstOrDefault();
        var log = loggerFactory.CreateLogger("RclonePool.Server");
        foreach (var url in bound)
        {
            if (options.Role == ServerRole.Api)
            {
                ServerLog.ApiListening(log, new Uri(url, apiPrefix));
            }
            else
            {
                ServerLog.Listening(log, url);
            }
        }

        if (metricsUrl is not null)
        {
            ServerLog.Listening(log, metricsUrl);
        }

        options.Https?.LogServing();
        if (options.Authenticator is CredentialAuthenticator credentials)
        {
            credentials.LogEnabled();
        }

        if (options.Authenticator is null && !IsLoopbackOnly(addresses))
        {
            ServerLog.OpenWithoutAuthentication(log, options.Host, options.Port);
        }

        try
        {
            if (options.WarmUp && bound.Length > 0)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var statuses = await LoopbackWarmUp.RunAsync(bound[0], scratch is null ? null : warmUp!.Open(scratch), cancellationToken);
                ServerLog.LoopbackWarmedUp(log, string.Join(", ", statuses), System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        finally
        {
            warmUp?.Close();
            if (scratch is not null)
            {
                await scratch.DisposeAsync();
            }
        }

        return new RunningServer(app, bound, pathBase, metricsUrl);
    }

    private static void Validate(ServerOptions options)
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message, nameof(options));
            }
        }

        Check(options.Port is >= 0 and <= 65535, $"The port {options.Port} is not between 0 and 65535.");
        Check(!string.IsNullOrWhiteSpace(options.Host), "The host is empty; give an address such as 127.0.0.1.");
        Check(options.PathBase is null || PoolPath.TryParse(options.PathBase, out _, out _), $"The path base '{options.PathBase}' is not a valid path such as /dav.");
        Check(options.MaxRequestBodySize is null or > 0, "The largest request body must be positive (or null for no limit).");
        Check(options.MaxXmlBodySize > 0, "The largest XML body must be positive.");
        Check(options.Metrics is null || options.Metrics.Port is >= 0 and <= 65535, $"The metrics port {options.Metrics?.Port} is not between 0 and 65535.");
        Check(options.Metrics is null || options.Metrics.Port == 0 || options.Metrics.Port != options.Port, $"The metrics port {options.Metrics?.Port} is the server's port too; give metrics_port another port.");
        Check(options.MaxRanges >= 1, "At least one range must be allowed.");
        Check(options.DefaultLockTimeout > TimeSpan.Zero && options.MaxLockTimeout > TimeSpan.Zero, "Lock timeouts must be positive.");
        Check(options.RequestHeadersTimeout > TimeSpan.Zero && options.KeepAliveTimeout > TimeSpan.Zero, "Connection timeouts must be positive.");
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, ServerOptions options, IReadOnlyList<IPAddress> addresses, List<ListenOptions> metricsListeners)
    {
        kestrel.AddServerHeader = false;
        kestrel.AllowSynchronousIO = false;
        var limits = kestrel.Limits;
        limits.MaxRequestBodySize = options.MaxRequestBodySize;
        limits.MaxRequestLineSize = 32 * 1024;          // a 4096-character path, percent-encoded UTF-8
        limits.MaxRequestHeadersTotalSize = 64 * 1024;  // Destination and If headers carry such paths too
        limits.MaxRequestHeaderCount = 100;
        limits.MaxRequestBufferSize = 1024 * 1024;
        limits.MaxResponseBufferSize = 1024 * 1024;
        limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
        limits.KeepAliveTimeout = options.KeepAliveTimeout;
        limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
        limits.MaxConcurrentUpgradedConnections = options.MaxConcurrentConnections;
        limits.MinRequestBodyDataRate = new MinDataRate(options.MinRequestBodyBytesPerSecond, options.MinDataRateGracePeriod);
        limits.MinResponseDataRate = new MinDataRate(options.MinResponseBytesPerSecond, options.MinDataRateGracePeriod);

        foreach (var address in addresses)
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                // All addresses: IPv6 dual-stack where the kernel has IPv6, IPv4 otherwise.
                kestrel.ListenAnyIP(options.Port, listen => ConfigureListener(listen, options.Https));
            }
            else
            {
                kestrel.Listen(address, options.Port, listen => ConfigureListener(listen, options.Https));
            }

            if (options.Metrics is { } metrics)
            {
                // The metrics listener: same host and TLS, its own port, marked so only GET /metrics answers there.
                void Metrics(ListenOptions listen)
                {
                    ConfigureListener(listen, options.Https);
                    MetricsListener.Mark(listen);
                    metricsListeners.Add(listen);
                }

                if (address.Equals(IPAddress.IPv6Any))
                {
                    kestrel.ListenAnyIP(metrics.Port, Metrics);
                }
                else
                {
                    kestrel.Listen(address, metrics.Port, Metrics);
                }
            }
        }
    }

    /// <summary>HTTP/1.1 in the clear, local chunk files sent with sendfile (<see cref="SendFileConnections"/>); with a certificate, TLS 1.2 or 1.3 only, HTTP/1.1 and HTTP/2 by ALPN, the certificate read per connection (so a renewed one is used).</summary>
    private static void ConfigureListener(ListenOptions listen, CertificateFiles? https)
    {
        if (https is null)
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.UseSendFile();
            return;
        }

        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = https.Current.Context,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                ClientCertificateRequired = false,
            }),
        });
    }

    private static bool IsLoopbackOnly(IReadOnlyList<IPAddress> addresses) => addresses.All(IPAddress.IsLoopback);

    private static async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var name = host.Trim().TrimStart('[').TrimEnd(']');
        switch (name.ToLowerInvariant())
        {
            case "" or "localhost":
                return [IPAddress.Loopback];
            case "*" or "+" or "::":
                return [IPAddress.IPv6Any];
        }

        if (IPAddress.TryParse(name, out var literal))
        {
            return [literal];
        }

        var resolved = await Dns.GetHostAddressesAsync(name, cancellationToken);
        if (resolved.Length == 0)
        {
            throw new ArgumentException($"The host '{host}' does not resolve to any address; give an IP address such as 127.0.0.1.", nameof(host));
        }

        return [resolved[0]];
    }
}
