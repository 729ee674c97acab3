using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace RclonePool.Server;

/// <summary>A started server: where it listens, and how to stop it.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _stopped;

    internal RunningServer(WebApplication app, IReadOnlyList<Uri> urls, string pathBase, Uri? metricsUrl = null)
    {
        _app = app;
        MetricsUrl = metricsUrl;
        var suffix = RclonePool.Server.WebDav.RequestTarget.Href(pathBase, Core.Paths.PoolPath.Root, collection: true);
        Urls = urls.Select(u => new Uri(u, suffix)).ToArray();
    }

    /// <summary>The bound addresses with the real ports, each ending in the path base and '/'.</summary>
    public IReadOnlyList<Uri> Urls { get; }

    /// <summary>The first bound address, for clients that need one URL.</summary>
    public Uri Url => Urls[0];

    /// <summary>The Prometheus endpoint (<c>…:metrics_port/metrics</c>), or null when metrics are off.</summary>
    public Uri? MetricsUrl { get; }

    /// <summary>The application's services (tests reach the event feed and the API's endpoints through them).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <summary>Completes when the server has stopped (by <see cref="StopAsync"/> or the host shutting down).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops accepting connections, lets requests in flight finish until <paramref name="cancellationToken"/> fires, then closes.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.StopAsync(cancellationToken);
            await _app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await StopAsync(grace.Token);
    }
}
