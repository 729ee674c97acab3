using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Events;
using RclonePool.Core.Pool;

namespace RclonePool.Server.Live;

/// <summary>Maps the WebSocket feed of pool events (docs/events.md).</summary>
public static class LiveEndpoints
{
    private static readonly ConditionalWeakTable<IServiceProvider, LiveHub> Hubs = [];

    /// <summary>
    /// Serves the WebSocket feed at <paramref name="path"/> (<c>/ws</c> for <c>api</c>, <c>/_rclonepool/ws</c> for
    /// <c>serve</c>). Authentication is the pipeline's (it runs before endpoints). One feed per application however many
    /// paths map it; it closes its clients when the application stops. A request that is not a WebSocket upgrade gets 400.
    /// </summary>
    public static IEndpointConventionBuilder MapPoolEvents(this IEndpointRouteBuilder endpoints, string path)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var hub = HubOf(endpoints.ServiceProvider);
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets(new WebSocketOptions { KeepAliveInterval = hub.Options.KeepAliveInterval, KeepAliveTimeout = hub.Options.KeepAliveTimeout });
        pipeline.Run(context => AcceptAsync(context, hub));
        return endpoints.Map(path, pipeline.Build()).WithDisplayName("rclonepool events (WebSocket)");
    }

    /// <summary>The feed of an application (created on first use).</summary>
    internal static LiveHub HubOf(IServiceProvider services) => Hubs.GetValue(services, Create);

    private static LiveHub Create(IServiceProvider services)
    {
        var pool = services.GetService<StoragePool>();
        var bus = pool?.Events ?? services.GetService<PoolEventBus>() ?? new PoolEventBus();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("RclonePool.Server.Live") ?? NullLogger.Instance;
        var hub = new LiveHub(bus, pool?.Traffic, services.GetService<LiveOptions>() ?? new LiveOptions(), services.GetService<TimeProvider>() ?? TimeProvider.System, logger);
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(() => _ = hub.DisposeAsync().AsTask());
        return hub;
    }

    private static async Task AcceptAsync(HttpContext context, LiveHub hub)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(
                "This is the rclonepool event feed, a WebSocket: connect with a WebSocket client and send {\"action\":\"subscribe\",\"topic\":\"upload_progress\"} (see docs/events.md).\n",
                context.RequestAborted);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await hub.ServeAsync(socket, context.Connection.RemoteIpAddress?.ToString(), context.RequestAborted);
    }
}
