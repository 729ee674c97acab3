using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RclonePool.Server.Users;

/// <summary>
/// What one server runs for one user: a service provider of the user's own (the pool, its jobs, the API's context, the
/// event feed over the pool's bus) and the pool's part of the pipeline built over it (<see cref="PoolPipeline"/>, as a
/// single-pool server has it). A request handed to it sees only these services, so it cannot name another user's
/// pool, job or event stream: isolation holds by construction, not by checks in each endpoint.
/// </summary>
internal sealed class UserTenant : IDisposable
{
    /// <summary>What the host provides that the endpoints ask for; the same objects for every user.</summary>
    private static readonly Type[] HostServices =
        [typeof(IHostEnvironment), typeof(IWebHostEnvironment), typeof(IHostApplicationLifetime), typeof(DiagnosticListener), typeof(DiagnosticSource)];

    private readonly ServiceProvider _services;
    private readonly RequestDelegate _pipeline;

    private UserTenant(ServiceProvider services, RequestDelegate pipeline)
    {
        _services = services;
        _pipeline = pipeline;
    }

    public static UserTenant Create(UserSession session, ServerOptions options, IServiceProvider host, ILoggerFactory loggerFactory)
    {
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        foreach (var type in HostServices)
        {
            if (host.GetService(type) is { } shared)
            {
                services.AddSingleton(type, shared);
            }
        }

        services.AddRouting();
        services.AddSingleton(options.Live);
        PoolPipeline.AddServices(services, session.Pool, options with { Jobs = session.Jobs });
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        try
        {
            var app = new ApplicationBuilder(provider);
            PoolPipeline.Use(app, session.Pool, options, loggerFactory);
            return new UserTenant(provider, app.Build());
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>Runs the request through the user's pipeline, with the user's services as its request services.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var outer = context.RequestServices;
        await using var scope = _services.CreateAsyncScope();
        context.RequestServices = scope.ServiceProvider;
        try
        {
            await _pipeline(context);
        }
        finally
        {
            context.RequestServices = outer;
        }
    }

    public void Dispose() => _services.Dispose();
}
