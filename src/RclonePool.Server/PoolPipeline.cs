using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Pool;
using RclonePool.Server.Api;
using RclonePool.Server.Live;
using RclonePool.Server.Transport;
using RclonePool.Server.WebDav;
using RclonePool.Server.WebUi;

namespace RclonePool.Server;

/// <summary>
/// What serves one pool behind authentication: its services (the pool, its jobs, the API's context) and its part of the
/// pipeline (web UI, the REST API, the event feed, then WebDAV). A single-pool server puts it in its own pipeline; a
/// multi-user server builds one per user over that user's pool and services, so nothing of it is shared between users.
/// </summary>
internal static class PoolPipeline
{
    public static void AddServices(IServiceCollection services, IPoolFileSystem pool, ServerOptions options)
    {
        if (pool is StoragePool storage)
        {
            services.AddRclonePool(storage); // the pool and its jobs, for the endpoints that run them
        }
        else
        {
            services.AddSingleton(pool);
        }

        services.AddPoolApi(options.Jobs, options.TimeProvider);
    }

    /// <summary>Adds the pool's part of the pipeline to <paramref name="app"/> (ending it); returns the decoded path base.</summary>
    /// <remarks>With <paramref name="warmUp"/>, the open loopback warm-up's requests end at the scratch pool instead (<see cref="WarmUpRoute"/>).</remarks>
    public static string Use(IApplicationBuilder app, IPoolFileSystem pool, ServerOptions options, ILoggerFactory loggerFactory, WarmUpRoute? warmUp = null)
    {
        var endpoint = new WebDavEndpoint(pool, options, loggerFactory);
        var apiPrefix = ServerPaths.Api(options.Role);
        if (options.EnableWebUi && options.Role == ServerRole.WebDav)
        {
            app.UseWebUi(pool, new WebUiOptions { DavBase = endpoint.Services.PathBase });
        }

        app.UseRouting();
        app.UsePoolApiProblems(apiPrefix);
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapPoolApi(apiPrefix);
            endpoints.MapPoolEvents(ServerPaths.Events(options.Role));
        });
        var dav = ReservedPaths.Guard(endpoint.InvokeAsync);
        app.Run(options.Role == ServerRole.Api ? ApiOnly.NotFoundAsync : warmUp is null ? dav : warmUp.Around(dav));
        return endpoint.Services.PathBase;
    }
}
