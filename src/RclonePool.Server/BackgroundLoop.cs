using Microsoft.Extensions.Hosting;

namespace RclonePool.Server;

/// <summary>One of <see cref="ServerOptions.BackgroundWork"/>, hosted: started with the server, cancelled and awaited when it stops.</summary>
internal sealed class BackgroundLoop(Func<CancellationToken, Task> work) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => work(stoppingToken);
}
