using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Plugins;

/// <summary>
/// Plugins at work inside a real pool (local remotes through real rclone): the sample balancer places chunks, the sample
/// transformer changes what is stored and round-trips, the sample webhook receives events; and misbehaving plugins
/// (wrong answers, hangs, a transform that does not round-trip) are caught, logged, disabled, while the pool keeps working.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PluginPoolTests
{
    private const int Chunk = 256 * 1024;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sample_balancer_puts_every_chunk_on_the_remote_it_names()
    {
        using var log = new LogCapture();
        await using var pool = await OpenAsync(log, ["balancer:prefer_remote"], c => c.PluginSettings["balancer:prefer_remote"] = new() { ["remote"] = c.Remotes[1] }, "PreferRemoteBalancer");
        var data = await PutAsync(pool, "/placed.bin", (5 * Chunk) + 11);

        Assert.Equal(6, ChunkFiles(pool, 1).Count);
        Assert.Empty(ChunkFiles(pool, 0));
        Assert.Empty(ChunkFiles(pool, 2));
        Assert.Equal(data, await ReadAsync(pool, "/placed.bin"));
        Assert.Contains(log.Messages, m => m.Contains("Plugin balancer:prefer_remote 1.0.0 in use", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_balancer_answer_that_is_not_a_remote_falls_back_and_the_plugin_is_disabled_after_three()
    {
        using var log = new LogCapture();
        await using var pool = await OpenAsync(log, ["balancer:prefer_remote"], c => c.PluginSettings["balancer:prefer_remote"] = new() { ["remote"] = "nowhere:" }, "PreferRemoteBalancer");
        var data = await PutAsync(pool, "/fallback.bin", 6 * Chunk);

        Assert.Equal(data, await ReadAsync(pool, "/fallback.bin"));
        Assert.True(Enumerable.Range(0, 3).Count(i => ChunkFiles(pool, i).Count > 0) > 1, "least_used spreads the chunks the plugin could not place");
        Assert.Contains(log.Messages, m => m.Contains("it chose \"nowhere:\", which is not one of the remotes offered", StringComparison.Ordinal));
        Assert.Contains(log.Messages, m => m.Contains("Plugin balancer:prefer_remote is disabled after 3 failures in a row", StringComparison.Ordinal));
        Assert.True(pool.Pool.Plugins!.Balancer!.Guard.IsDisabled);
    }

    [Fact]
    public async Task The_sample_transformer_changes_the_stored_bytes_and_every_range_reads_back()
    {
        using var log = new LogCapture();
        await using var pool = await OpenAsync(log, ["transformer:xor"], c => c.PluginSettings["transformer:xor"] = new() { ["key"] = "test key" }, "XorTransformer");
        var data = await PutAsync(pool, "/secret.bin", (3 * Chunk) + 1234);

        var stored = Enumerable.Range(0, 3).SelectMany(i => ChunkFiles(pool, i)).Select(File.ReadAllBytes).ToList();
        Assert.Equal(4, stored.Count);
        var slices = Enumerable.Range(0, 4).Select(i => data.Skip(i * Chunk).Take(Chunk).ToArray()).ToList();
        Assert.DoesNotContain(stored, s => slices.Any(slice => slice.AsSpan().SequenceEqual(s)));

        Assert.Equal(data, await ReadAsync(pool, "/secret.bin"));
        foreach (var (offset, count) in new[] { (1L, 100L), (Chunk - 7L, 20L), ((2L * Chunk) + 31, Chunk + 5L), (data.Length - 3L, 3L) })
        {
            await using var range = await pool.Pool.OpenReadAsync(PoolPath.Parse("/secret.bin"), offset, count, Ct);
            var buffer = new MemoryStream();
            await range.CopyToAsync(buffer, Ct);
            Assert.Equal(data.AsSpan((int)offset, (int)count).ToArray(), buffer.ToArray());
        }

        Assert.True(pool.Pool.Plugins!.Transform!.IsActive);
    }

    [Fact]
    public async Task A_transformer_that_does_not_round_trip_is_refused_on_the_first_block_and_data_is_stored_as_it_is()
    {
        using var log = new LogCapture();
        await using var pool = await OpenAsync(log, ["transformer:lossy"], _ => { }, "BadLossyTransformer", bad: true);
        var data = await PutAsync(pool, "/plain.bin", (2 * Chunk) + 5);

        Assert.Equal(data, await ReadAsync(pool, "/plain.bin"));
        var stored = Enumerable.Range(0, 3).SelectMany(i => ChunkFiles(pool, i)).Select(File.ReadAllBytes).ToList();
        Assert.Contains(stored, s => s.AsSpan().SequenceEqual(data.AsSpan(0, Chunk)));
        Assert.Contains(log.Messages, m => m.Contains("Transformer plugin transformer:lossy is not used: decoding its encoding of the first block", StringComparison.Ordinal));
        Assert.False(pool.Pool.Plugins!.Transform!.IsActive);
    }

    [Fact]
    public async Task Hanging_plugins_time_out_are_disabled_and_the_pool_keeps_working()
    {
        using var log = new LogCapture();
        await using var pool = await OpenAsync(log, ["balancer:hangs", "event_handler:hangs"], c => c.PluginTimeout = 0.2, "BadHanging", bad: true);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var data = await PutAsync(pool, "/through.bin", 5 * Chunk);
        Assert.Equal(data, await ReadAsync(pool, "/through.bin"));
        await PutAsync(pool, "/second.bin", 1000);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Contains(log.Messages, m => m.Contains("Plugin balancer:hangs is disabled after 3 failures in a row (the last: no answer within 0.2 s)", StringComparison.Ordinal));
        await WaitForAsync(() => log.Messages.Any(m => m.Contains("Plugin event_handler:hangs is disabled after 3 failures", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_sample_webhook_posts_the_pool_events_to_a_loopback_url()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        listener.Start();
        var received = new List<JsonElement>();
        var serving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                var context = await listener.GetContextAsync();
                using (var body = new StreamReader(context.Request.InputStream))
                {
                    var json = JsonDocument.Parse(await body.ReadToEndAsync()).RootElement.Clone();
                    lock (received)
                    {
                        received.Add(json);
                    }
                }

                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        }, Ct);

        using var log = new LogCapture();
        await using (var pool = await OpenAsync(log, ["event_handler:webhook"], c => c.PluginSettings["event_handler:webhook"] = new()
        {
            ["url"] = $"http://127.0.0.1:{port}/hook/",
            ["hooks"] = "PRE_UPLOAD,POST_UPLOAD,PRE_DELETE,POST_DELETE",
        }, "WebhookEventHandler"))
        {
            await PutAsync(pool, "/hooked.bin", 1000);
            await pool.Pool.DeleteAsync(PoolPath.Parse("/hooked.bin"), recursive: false, Ct);
        }

        // Disposing the pool handed out what was queued.
        List<string> hooks;
        lock (received)
        {
            hooks = [.. received.Select(e => e.GetProperty("hook").GetString()!)];
        }

        Assert.Equal(["PRE_UPLOAD", "POST_UPLOAD", "PRE_DELETE", "POST_DELETE"], hooks);
        var posted = received[1];
        Assert.Equal("/hooked.bin", posted.GetProperty("path").GetString());
        listener.Stop();
    }

    private static async Task<RealPool> OpenAsync(LogCapture log, string[] enabled, Action<PoolConfig> configure, string project, bool bad = false)
    {
        string? pluginsDir = null;
        return await RealPool.OpenAsync(chunkSize: Chunk, configure: c =>
        {
            var root = Path.GetDirectoryName(c.ManifestCacheDir)!;
            Directory.CreateDirectory(root);
            pluginsDir = PluginBuilds.CreatePluginsDir(root);
            PluginBuilds.Place(pluginsDir, bad ? PluginBuilds.Bad(project) : PluginBuilds.Sample(project));
            c.EnablePlugins = true;
            c.PluginsDir = pluginsDir;
            c.EnabledPlugins = [.. enabled];
            c.PluginTimeout = 2;
            configure(c);
        }, loggers: log.Factory);
    }

    private static async Task<byte[]> PutAsync(RealPool pool, string path, int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        await pool.Pool.PutAsync(PoolPath.Parse(path), new MemoryStream(data), length, PutOptions.Default, Ct);
        return data;
    }

    private static async Task<byte[]> ReadAsync(RealPool pool, string path)
    {
        await using var stream = await pool.Pool.OpenDownloadAsync(PoolPath.Parse(path), Ct);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    private static List<string> ChunkFiles(RealPool pool, int remote)
    {
        var data = Path.Combine(pool.Root, "remotes", $"r{remote + 1}", "rclonepool_data");
        return Directory.Exists(data) ? [.. Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories)] : [];
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 20 s");
            await Task.Delay(50, Ct);
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>The pool's log lines, kept for the assertions.</summary>
    private sealed class LogCapture : IDisposable
    {
        private readonly CapturingLoggerProvider _provider = new();

        public LogCapture() => Factory = LoggerFactory.Create(b => b.AddProvider(_provider).SetMinimumLevel(LogLevel.Information));

        public ILoggerFactory Factory { get; }

        public IReadOnlyList<string> Messages => [.. _provider.Entries.Select(e => e.Message)];

        public void Dispose() => Factory.Dispose();
    }
}
