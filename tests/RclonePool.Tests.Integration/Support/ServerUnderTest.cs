using Microsoft.Extensions.Logging;
using RclonePool.Server;

namespace RclonePool.Tests.Integration.Support;

/// <summary>The WebDAV server on 127.0.0.1 with an OS-chosen port, serving an in-memory pool, and a client for it.</summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private ServerUnderTest(InMemoryPoolFileSystem pool, RunningServer server)
    {
        Pool = pool;
        Server = server;
        Client = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public InMemoryPoolFileSystem Pool { get; }

    public RunningServer Server { get; }

    public Uri Url => Server.Url;

    public HttpClient Client { get; }

    public static async Task<ServerUnderTest> StartAsync(ServerOptions? options = null, InMemoryPoolFileSystem? pool = null, ILoggerFactory? loggerFactory = null)
    {
        pool ??= new InMemoryPoolFileSystem();
        options = (options ?? new ServerOptions()) with { Host = "127.0.0.1", Port = 0 };
        var server = await PoolServer.StartAsync(pool, options, loggerFactory, TestContext.Current.CancellationToken);
        return new ServerUnderTest(pool, server);
    }

    /// <summary>Sends a request with a method HttpClient has no helper for.</summary>
    public Task<HttpResponseMessage> SendAsync(string method, string path, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
        foreach (var (name, value) in headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
