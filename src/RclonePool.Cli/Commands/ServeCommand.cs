using System.CommandLine;
using Microsoft.Extensions.Logging;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Jobs;
using RclonePool.Server;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool serve [--host H] [--port P]</c>: the pool over WebDAV until Ctrl-C.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var host = new Option<string?>("--host") { Description = "Address to listen on (default: the config's webdav_host, 127.0.0.1). 0.0.0.0 or * listens everywhere." };
        var port = new Option<int?>("--port") { Description = "Port (default: the config's webdav_port, 8080; 0 picks a free one)." };
        var command = new Command("serve", CommandText.WithExamples(
            "Serve the pool over WebDAV (class 1 and 2: streaming with Range/seek, PROPFIND from the index, locks) until Ctrl-C. " +
            "With enable_health_monitoring, a quick health check runs in the background every health_check_interval seconds and logs a warning when something is not healthy.",
            "rclonepool serve",
            "rclonepool serve --host 0.0.0.0 --port 8080",
            "rclone copy ./photos \":webdav,url='http://127.0.0.1:8080/':photos\""))
        {
            host, port,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await RunAsync(context, parse.GetValue(host), parse.GetValue(port), token);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    /// <summary>Opens the pool and serves it until <paramref name="cancellationToken"/> fires (Ctrl-C).</summary>
    public static async Task RunAsync(CliContext context, string? host, int? port, CancellationToken cancellationToken)
    {
        await using var session = await context.OpenPoolAsync(cancellationToken);
        using var loggerFactory = context.CreateLoggerFactory(session.Pool.Config);
        var monitor = session.Pool.Config.EnableHealthMonitoring ? new HealthMonitor(session.Pool, loggerFactory.CreateLogger("RclonePool.Health")) : null;
        var options = new ServerOptions
        {
            Host = host ?? context.Config.WebdavHost,
            Port = port ?? context.Config.WebdavPort,
            BackgroundWork = monitor is null ? [] : [monitor.RunAsync],
        };
        await using var server = await PoolServer.StartAsync(session.Pool, options, loggerFactory, cancellationToken);
        foreach (var url in server.Urls)
        {
            Console.WriteLine($"serve: WebDAV on {url} (Ctrl-C stops)");
        }

        if (monitor is not null)
        {
            Console.WriteLine($"serve: health monitoring: a quick check now and every {monitor.Interval.TotalSeconds:0} s (health_check_interval); problems are logged as warnings");
        }

        Console.WriteLine($"serve: mount it with: rclone mount :webdav,url='{server.Url}': /mnt/pool   or browse {server.Url}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }

        Console.WriteLine("serve: stopping.");
        await server.StopAsync(CancellationToken.None);
    }
}
