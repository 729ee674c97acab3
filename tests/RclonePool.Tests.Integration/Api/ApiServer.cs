using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using RclonePool.Core.Config;
using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Api;

/// <summary>The REST API server (<see cref="ServerRole.Api"/>) on 127.0.0.1, port 0, over a real pool on rclone with local-directory remotes.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    private ApiServer(RealPool pool, RunningServer server, string uploadRoot)
    {
        Pool = pool;
        Server = server;
        UploadRoot = uploadRoot;
        Client = new HttpClient { BaseAddress = new Uri(server.Url, "/api/v1/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public RealPool Pool { get; }

    public RunningServer Server { get; }

    public HttpClient Client { get; }

    /// <summary>The directory of api_upload_roots (the JSON upload form and repair may read below it).</summary>
    public string UploadRoot { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ApiServer> StartAsync(ServerOptions? options = null, Action<PoolConfig>? configure = null)
    {
        var uploadRoot = Path.Combine(Path.GetTempPath(), "rclonepool-api-src-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(uploadRoot);
        var pool = await RealPool.OpenAsync(remotes: 3, chunkSize: 256 * 1024, configure: config =>
        {
            config.ApiUploadRoots = [uploadRoot];
            configure?.Invoke(config);
        });
        options = (options ?? new ServerOptions()) with { Host = "127.0.0.1", Port = 0, Role = ServerRole.Api };
        var server = await PoolServer.StartAsync(pool.Pool, options, cancellationToken: Ct);
        return new ApiServer(pool, server, uploadRoot);
    }

    /// <summary>Uploads <paramref name="content"/> as multipart/form-data (remote_path, then file).</summary>
    public async Task<HttpResponseMessage> UploadAsync(string remotePath, byte[] content, HttpClient? client = null)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(remotePath), "remote_path" },
            { new ByteArrayContent(content), "file", Path.GetFileName(remotePath) },
        };
        return await (client ?? Client).PostAsync("files", form, Ct);
    }

    public async Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        await Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    public static async Task<JsonNode> JsonOf(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

    /// <summary>Asserts a problem details response with this status and returns its detail.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["type"]));
        return (string)problem["detail"]!;
    }

    /// <summary>Polls a job until it is final (or the test's time runs out) and returns it.</summary>
    public async Task<JsonNode> WaitForJobAsync(string id, HttpClient? client = null)
    {
        while (true)
        {
            using var response = await (client ?? Client).GetAsync($"jobs/{id}", Ct);
            var job = await JsonOf(response);
            if ((string?)job["state"] is "succeeded" or "failed" or "cancelled")
            {
                return job;
            }

            await Task.Delay(50, Ct);
        }
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await Pool.DisposeAsync();
        try
        {
            Directory.Delete(UploadRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
