using System.CommandLine;
using Microsoft.Extensions.Logging;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Jobs;
using RclonePool.Server;
using RclonePool.Server.Api.Jobs;
using RclonePool.Server.Auth;
using RclonePool.Server.Metrics;
using RclonePool.Server.Tls;
using RclonePool.Server.Users;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool serve [--host H] [--port P]</c>: the pool over WebDAV until Ctrl-C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var options = new ServerCommandOptions("webdav_host", "webdav_port", 8080);
        var command = new Command("serve", CommandText.WithExamples(
            "Serve the pool over WebDAV (class 1 and 2: streaming with Range/seek, PROPFIND from the index, locks) until Ctrl-C. " +
            "With enable_health_monitoring, a quick health check runs in the background every health_check_interval seconds and logs a warning when something is not healthy. " +
            "Beyond 127.0.0.1 it needs authentication (--auth, webdav_auth_method); GET /healthz and /readyz answer without it. " +
            "The REST API is also served under /_rclonepool/api/v1 (docs/api.md), and with enable_api_server on api_server_host:api_server_port at /api/v1.",
            "rclonepool serve",
            "rclonepool user add alice && rclonepool serve --host 0.0.0.0 --auth basic",
            "rclone copy ./photos \":webdav,url='http://127.0.0.1:8080/':photos\""));
        options.AddTo(command);
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await RunAsync(context, options.Read(parse), ServerRole.WebDav, token);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    /// <summary>
    /// Opens the pool and serves it until <paramref name="cancellationToken"/> fires (Ctrl-C): WebDAV with the REST API under
    /// /_rclonepool (<see cref="ServerRole.WebDav"/>, plus the API server when enable_api_server is on), or the REST API alone
    /// (<see cref="ServerRole.Api"/>, the <c>api</c> command).
    /// </summary>
    public static async Task RunAsync(CliContext context, ServeSettings settings, ServerRole role, CancellationToken cancellationToken)
    {
        var name = role == ServerRole.Api ? "api" : "serve";
        var method = AuthMethods.Parse(settings.Auth ?? context.Config.WebdavAuthMethod);
        using var loggerFactory = context.CreateLoggerFactory(context.Config);
        var authenticator = ServerAuthentication.Create(context.Config, method, loggerFactory);
        var certificate = settings.Https || context.Config.EnableHttps ? OpenCertificate(context, loggerFactory) : null;
        // With a users section: one pool per user, each opened on its user's first request (docs/multi-user.md).
        await using var users = context.Config.Users.Count > 0 ? UserPools.FromConfig(context.Config, loggerFactory) : null;
        await using var session = users is null ? await context.OpenPoolForServingAsync(cancellationToken) : null;
        var monitor = session?.Pool.Config.EnableHealthMonitoring == true ? new HealthMonitor(session.Pool, loggerFactory.CreateLogger("RclonePool.Health")) : null;
        var location = context.ConfigLocation;
        var rebalancer = session?.Pool.Config.AutoRebalance == true
            ? new AutoRebalancer(session.Pool, loggerFactory.CreateLogger("RclonePool.Rebalance"), () => ConfigLoader.LoadFrom(location))
            : null;

        // Without auto_rebalance, remotes that 'remote add' appends to the config still join the running pool.
        var joiner = session is not null && rebalancer is null
            ? new RemoteJoiner(session.Pool, () => ConfigLoader.LoadFrom(location), loggerFactory.CreateLogger("RclonePool.Remotes"))
            : null;
        var compaction = session is not null && ManifestCompactionLoop.Wanted(session.Pool) ? new ManifestCompactionLoop(session.Pool, loggerFactory.CreateLogger("RclonePool.Manifests")) : null;
        var userWork = users is null ? null : new UserBackgroundWork(users, loggerFactory);
        await using var jobs = new JobRegistry();
        var options = new ServerOptions
        {
            Role = role,
            Host = settings.Host ?? (role == ServerRole.Api ? context.Config.ApiServerHost : context.Config.WebdavHost),
            Port = settings.Port ?? (role == ServerRole.Api ? context.Config.ApiServerPort : context.Config.WebdavPort),
            Authenticator = authenticator,
            Https = certificate,
            AllowUnauthenticatedRemoteAccess = settings.InsecureNoAuth,
            EnableWebUi = context.Config.EnableWebui,
            BackgroundWork = [.. monitor is null ? [] : new Func<CancellationToken, Task>[] { monitor.RunAsync }, .. rebalancer is null ? [] : new Func<CancellationToken, Task>[] { rebalancer.RunAsync },
                .. joiner is null ? [] : new Func<CancellationToken, Task>[] { ct => joiner.RunAsync(RemoteJoiner.ServeInterval, TimeProvider.System, ct) },
                .. compaction is null ? [] : new Func<CancellationToken, Task>[] { compaction.RunAsync },
                .. userWork is null ? [] : new Func<CancellationToken, Task>[] { userWork.RunAsync }],
            Jobs = jobs,
            Metrics = context.Config.EnableMetrics ? new MetricsOptions { Port = context.Config.MetricsPort } : null,
            WarmUp = true, // the first requests are not slowed by compiling their paths (docs/benchmarks.md)
        };
        Task<RunningServer> StartAsync(ServerOptions with) => session is not null
            ? PoolServer.StartAsync(session.Pool, with, loggerFactory, cancellationToken)
            : PoolServer.StartAsync(users!, with, loggerFactory, cancellationToken);
        await using var server = await StartAsync(options);
        await using var apiServer = role == ServerRole.WebDav && context.Config.EnableApiServer
            ? await StartAsync(options with
            {
                Role = ServerRole.Api,
                Host = context.Config.ApiServerHost,
                Port = context.Config.ApiServerPort,
                BackgroundWork = [],
                Metrics = null, // one metrics listener per process: the WebDAV server's
                EnableWebUi = false,
            })
            : null;
        foreach (var url in server.Urls)
        {
            Console.WriteLine(role == ServerRole.Api
                ? $"api: REST API on {new Uri(url, ServerPaths.Api(role))} (docs: {new Uri(url, ServerPaths.Api(role) + "/docs")}; Ctrl-C stops)"
                : $"serve: WebDAV on {url} (REST API at {new Uri(url, ServerPaths.Api(role))}; Ctrl-C stops)");
        }

        foreach (var url in apiServer?.Urls ?? [])
        {
            Console.WriteLine($"serve: REST API server (enable_api_server) on {new Uri(url, ServerPaths.Api(ServerRole.Api))}");
        }

        if (server.MetricsUrl is not null)
        {
            Console.WriteLine($"serve: Prometheus metrics on {server.MetricsUrl} (enable_metrics, metrics_port)");
        }

        if (certificate is not null)
        {
            Console.WriteLine($"{name}: HTTPS certificate {certificate.CertificatePath}, SHA-256 fingerprint {certificate.Current.Fingerprint}");
        }

        if (users is not null)
        {
            Console.WriteLine($"{name}: {users.Names.Count} users, each with a pool of their own at / (users section; pools open on first use): {string.Join(", ", users.Names)}");
            if (userWork!.Users.Count > 0)
            {
                Console.WriteLine($"{name}: background work (health monitoring, auto_rebalance) as each user's config asks, on their own pool, opened now: {string.Join(", ", userWork.Users)}");
            }
        }

        Console.WriteLine(method == AuthMethod.None
            ? $"{name}: authentication: none (anyone who reaches the address has full access)"
            : $"{name}: authentication: {AuthMethods.Name(method)}; /healthz and /readyz answer without it");

        if (monitor is not null)
        {
            Console.WriteLine($"{name}: health monitoring: a quick check now and every {monitor.Interval.TotalSeconds:0} s (health_check_interval); problems are logged as warnings");
        }

        if (role == ServerRole.WebDav)
        {
            Console.WriteLine($"serve: mount it with: rclone mount :webdav,url='{server.Url}': /mnt/pool   or browse {server.Url}");
        }

        if (rebalancer is not null)
        {
            Console.WriteLine($"{name}: auto_rebalance: a check now and every {rebalancer.Interval.TotalSeconds:0} s (auto_rebalance_interval); a rebalance to {rebalancer.Target:0.0} % starts above {rebalancer.Threshold:0.0} % (rebalance_threshold) or when a remote joins");
        }

        try
        {
            // Ctrl-C, or the host stopping itself (systemd's SIGTERM through its lifetime).
            await server.WaitForShutdownAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        Console.WriteLine($"{name}: stopping.");
        if (apiServer is not null)
        {
            await apiServer.StopAsync(CancellationToken.None);
        }

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
