using Microsoft.Extensions.Logging;
using RclonePool.Core.Paths;
using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// <see cref="ServerOptions.WarmUp"/>: before it listens, the server runs its WebDAV paths on a scratch pool under
/// temp_dir; every warm-up request succeeds, the served pool is left as it was and the scratch pool is removed.
/// </summary>
public sealed class WarmUpTests
{
    [Fact]
    public async Task The_warm_up_runs_on_a_scratch_pool_and_leaves_the_served_pool_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var real = await RealPool.OpenAsync(daemon: false);
        await using (var content = new MemoryStream("kept"u8.ToArray()))
        {
            await real.Pool.PutAsync(PoolPath.Parse("/kept.txt"), content, 4, new Core.Pool.PutOptions(), ct);
        }

        var objectsBefore = Directory.GetFiles(Path.Combine(real.Root, "remotes"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));

        await using var server = await PoolServer.StartAsync(real.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0, WarmUp = true }, loggers, ct);

        Assert.Contains(logs.Entries, e => e.Id.Id == 1021); // warmed up
        Assert.DoesNotContain(logs.Entries, e => e.Id.Id == 1022); // no request of the warm-up failed
        Assert.Equal(objectsBefore, Directory.GetFiles(Path.Combine(real.Root, "remotes"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList());
        var tmp = Path.Combine(real.Root, "tmp");
        Assert.Empty(Directory.Exists(tmp) ? Directory.GetDirectories(tmp, "warm-up-*") : []);
        var listed = new List<string>();
        await foreach (var entry in real.Pool.ListAsync(PoolPath.Root, recursive: true, ct))
        {
            listed.Add(entry.Path.Value);
        }

        Assert.Equal(["/kept.txt"], listed);
        using var client = new HttpClient { BaseAddress = server.Url };
        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod("PROPFIND"), "/") { Headers = { { "Depth", "1" } } }, ct);
        Assert.Equal(207, (int)response.StatusCode);
        Assert.Contains("kept.txt", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }
}
