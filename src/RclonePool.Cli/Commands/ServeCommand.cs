using System.CommandLine;
using Microsoft.Extensions.Logging;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Errors;
using RclonePool.Core.Jobs;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Server.Metrics;
using RclonePool.Server.Tls;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool serve [--host H] [--port P]</c>: the pool over WebDAV until Ctrl-C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var host = new Option<string?>("--host") { Description = "Address to listen on (default: the config's webdav_host, 127.0.0.1). 0.0.0.0 or * listens everywhere." };
        var port = new Option<int?>("--port") { Description = "Port (default: the config's webdav_port, 8080; 0 picks a free one)." };
        var auth = new Option<string?>("--auth")
        {
            Description = "Authentication: none, basic (users of 'rclonepool user add'), api_key or bearer (keys of 'rclonepool key create'). Default: the config's webdav_auth_method.",
        };
        auth.AcceptOnlyFromAmong("none", "basic", "api_key", "bearer");
        var insecure = new Option<bool>("--insecure-no-auth")
        {
            Description = "Serve without authentication on an address beyond loopback, which is otherwise refused: anyone who reaches it can read, change and delete every file.",
        };
        var https = new Option<bool>("--https")
        {
            Description = "Serve HTTPS (as enable_https): ssl_cert_file and ssl_key_file, or a self-signed certificate generated once beside the config file. Its SHA-256 fingerprint is printed.",
        };
        var command = new Command("serve", CommandText.WithExamples(
            "Serve the pool over WebDAV (class 1 and 2: streaming with Range/seek, PROPFIND from the index, locks) until Ctrl-C. " +
            "With enable_health_monitoring, a quick health check runs in the background every health_check_interval seconds and logs a warning when something is not healthy. " +
            "Beyond 127.0.0.1 it needs authentication (--auth, webdav_auth_method); GET /healthz and /readyz answer without it.",
            "rclonepool serve",
            "rclonepool user add alice && rclonepool serve --host 0.0.0.0 --auth basic",
            "rclone copy ./photos \":webdav,url='http://127.0.0.1:8080/':photos\""))
        {
            host, port, auth, insecure, https,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            var serving = new ServeSettings(parse.GetValue(host), parse.GetValue(port), parse.GetValue(auth), parse.GetValue(insecure), parse.GetValue(https));
            await RunAsync(context, serving, token);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    /// <summary>Opens the pool and serves it until <paramref name="cancellationToken"/> fires (Ctrl-C).</summary>
    public static async Task RunAsync(CliContext context, ServeSettings settings, CancellationToken cancellationToken)
    {
        var method = AuthMethods.Parse(settings.Auth ?? context.Config.WebdavAuthMethod);
        using var loggerFactory = context.CreateLoggerFactory(context.Config);
        var authenticator = ServerAuthentication.Create(context.Config, method, loggerFactory);
        var certificate = settings.Https || context.Config.EnableHttps ? OpenCertificate(context, loggerFactory) : null;
        await using var session = await context.OpenPoolAsync(cancellationToken);
        var monitor = session.Pool.Config.EnableHealthMonitoring ? new HealthMonitor(session.Pool, loggerFactory.CreateLogger("RclonePool.Health")) : null;
        var options = new ServerOptions
        {
            Host = settings.Host ?? context.Config.WebdavHost,
            Port = settings.Port ?? context.Config.WebdavPort,
            Authenticator = authenticator,
            Https = certificate,
            AllowUnauthenticatedRemoteAccess = settings.InsecureNoAuth,
            BackgroundWork = monitor is null ? [] : [monitor.RunAsync],
            Metrics = context.Config.EnableMetrics ? new MetricsOptions { Port = context.Config.MetricsPort } : null,
        };
        await using var server = await PoolServer.StartAsync(session.Pool, options, loggerFactory, cancellationToken);
        foreach (var url in server.Urls)
        {
            Console.WriteLine($"serve: WebDAV on {url} (Ctrl-C stops)");
        }

        if (server.MetricsUrl is not null)
        {
            Console.WriteLine($"serve: Prometheus metrics on {server.MetricsUrl} (enable_metrics, metrics_port)");
        }

        if (certificate is not null)
        {
            Console.WriteLine($"serve: HTTPS certificate {certificate.CertificatePath}, SHA-256 fingerprint {certificate.Current.Fingerprint}");
        }

        Console.WriteLine(method == AuthMethod.None
            ? "serve: authentication: none (anyone who reaches the address has full access)"
            : $"serve: authentication: {AuthMethods.Name(method)}; /healthz and /readyz answer without it");

        if (monitor is not null)
        {
            Console.WriteLine($"serve: health monitoring: a quick check now and every {monitor.Interval.TotalSeconds:0} s (health_check_interval); problems are logged as warnings");
        }

        Console.WriteLine($"serve: mount it with: rclone mount :webdav,url='{server.Url}': /mnt/pool   or browse {server.Url}");
        try
        {
            // Ctrl-C, or the host stopping itself (systemd's SIGTERM through its lifetime).
            await server.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        Console.WriteLine("serve: stopping.");
        await server.StopAsync(CancellationToken.None);
    }

    /// <summary>ssl_cert_file and ssl_key_file, or the self-signed certificate beside the config file (generated now if needed).</summary>
    private static CertificateFiles OpenCertificate(CliContext context, ILoggerFactory loggerFactory)
    {
        var config = context.Config;
        var cert = string.IsNullOrEmpty(config.SslCertFile) ? null : config.SslCertFile;
        var key = string.IsNullOrEmpty(config.SslKeyFile) ? null : config.SslKeyFile;
        if ((cert is null) != (key is null))
        {
            throw new PoolException(PoolErrorKind.BadInput,
                $"HTTPS needs ssl_cert_file and ssl_key_file together, and only {(cert is null ? "ssl_key_file" : "ssl_cert_file")} is set; set both, or neither to use a generated self-signed certificate.");
        }

        if (cert is null || key is null)
        {
            var directory = Path.GetDirectoryName(context.ConfigLocation.Path)!;
            (cert, key, var generated) = SelfSignedCertificate.Ensure(directory);
            if (generated)
            {
                Console.WriteLine($"serve: generated a self-signed certificate for localhost, 127.0.0.1 and {System.Net.Dns.GetHostName()}: {cert} (key {key}, mode 0600); it is reused from now on");
            }
        }

        return CertificateFiles.Open(cert, key, TimeProvider.System, loggerFactory);
    }
}
