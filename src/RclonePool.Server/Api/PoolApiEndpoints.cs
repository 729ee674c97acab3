using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;
using RclonePool.Core.Pool;
using RclonePool.Server.Api.Endpoints;
using RclonePool.Server.Api.Jobs;
using RclonePool.Server.Api.Json;
using RclonePool.Server.Metrics;
using Scalar.AspNetCore;

namespace RclonePool.Server.Api;

/// <summary>The REST API (docs/api.md): its services, and its endpoints under a prefix.</summary>
public static class PoolApiEndpoints
{
    /// <summary>
    /// Registers what the API needs: its JSON (snake_case, source-generated), the OpenAPI document, and the job
    /// registry (<paramref name="jobs"/> when given, shared with another server and owned by the caller; otherwise one of
    /// this server's own, whose jobs are cancelled and awaited when the server stops).
    /// </summary>
    public static IServiceCollection AddPoolApi(this IServiceCollection services, JobRegistry? jobs = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRouting();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "rclonepool REST API",
                Version = "v1",
                Description = "Drive a pool of rclone remotes: files, content, uploads, remotes, health, and jobs (verify, repair, rebalance). See docs/api.md.",
            };
            return Task.CompletedTask;
        }));
        if (jobs is null)
        {
            services.AddSingleton(new JobRegistry());
            services.AddSingleton<IHostedService, JobShutdown>();
        }
        else
        {
            services.AddSingleton(jobs);
        }

        services.AddSingleton<IJobCounts>(provider => provider.GetRequiredService<JobRegistry>());
        services.AddSingleton(provider => new PoolApiContext(
            provider.GetRequiredService<IPoolFileSystem>(),
            provider.GetService<StoragePool>(),
            provider.GetRequiredService<JobRegistry>(),
            time ?? TimeProvider.System));
        return services;
    }

    /// <summary>
    /// Maps every endpoint of the API under <paramref name="prefix"/> (<c>/api/v1</c>, or <c>/_rclonepool/api/v1</c>
    /// beside WebDAV), with its OpenAPI document at <c>{prefix}/openapi.json</c> and the Scalar reference at
    /// <c>{prefix}/docs</c> (its script served by this process, no CDN, no web fonts).
    /// </summary>
    public static IEndpointRouteBuilder MapPoolApi(this IEndpointRouteBuilder endpoints, string prefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("RclonePool.Server.Api");
        var api = endpoints.MapGroup(prefix)
            .AddEndpointFilter(new ApiErrorFilter(logger))
            .WithMetadata(new ApiPrefix(prefix))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        StatusEndpoints.Map(api);
        FileEndpoints.Map(api);
        ContentEndpoints.Map(api);
        UploadEndpoints.Map(api);
        JobEndpoints.Map(api);
        endpoints.MapOpenApi(prefix + "/openapi.json");
        endpoints.MapScalarApiReference(prefix + "/docs", scalar => scalar
            .WithTitle("rclonepool REST API")
            .WithOpenApiRoutePattern(prefix + "/openapi.json")
            .DisableDefaultFonts());
        return endpoints;
    }

    /// <summary>Cancels the server's own jobs when it stops, and waits for them to end.</summary>
    private sealed class JobShutdown(JobRegistry jobs) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken) => await jobs.DisposeAsync();
    }
}
