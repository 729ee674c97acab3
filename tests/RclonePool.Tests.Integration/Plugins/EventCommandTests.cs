using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Events;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Plugins;

/// <summary><c>event_commands</c>: real commands run by the real CLI on a pool of local remotes through real rclone.</summary>
public sealed class EventCommandTests
{
    [Fact]
    public async Task A_command_gets_the_event_as_json_on_stdin_and_its_output_is_logged()
    {
        var events = Path.Combine(Path.GetTempPath(), $"rclonepool-events-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using var pool = await LocalPool.CreateAsync(configure: c => c["event_commands"] = new JsonObject
            {
                ["POST_UPLOAD"] = new JsonArray("/bin/sh", "-c", $"cat >> '{events}'; echo stored-by-$RCLONEPOOL_HOOK"),
                ["POST_DELETE"] = new JsonArray("/bin/sh", "-c", $"cat >> '{events}'"),
            });
            var data = LocalPool.RandomBytes(300_000, 5);
            var upload = await pool.RunWithInputAsync(data, "upload", "-", "/docs/a file.bin");
            Assert.True(upload.ExitCode == 0, upload.ToString());
            Assert.Contains("said: stored-by-POST_UPLOAD", upload.StdErr, StringComparison.Ordinal);
            await pool.OkAsync("delete", "/docs/a file.bin");

            var lines = File.ReadAllLines(events).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(["POST_UPLOAD", "POST_DELETE"], lines.Select(l => l.GetProperty("hook").GetString()));
            Assert.Equal("/docs/a file.bin", lines[0].GetProperty("path").GetString());
            Assert.Equal(300_000, lines[0].GetProperty("bytes").GetInt64());
            Assert.True(DateTimeOffset.UtcNow - lines[0].GetProperty("time").GetDateTimeOffset() < TimeSpan.FromMinutes(5));
        }
        finally
        {
            File.Delete(events);
        }
    }

    [Fact]
    public async Task A_failing_slow_or_missing_command_is_logged_and_the_operation_succeeds()
    {
        await using var pool = await LocalPool.CreateAsync(configure: c =>
        {
            c["event_command_timeout"] = 0.5;
            c["event_commands"] = new JsonObject
            {
                ["PRE_UPLOAD"] = new JsonArray("/bin/sleep", "60"),
                ["POST_UPLOAD"] = new JsonArray("/bin/sh", "-c", "echo something broke >&2; exit 3"),
                ["PRE_DELETE"] = new JsonArray("/nonexistent/notify-me"),
            };
        });
        var clock = Stopwatch.StartNew();
        var upload = await pool.RunWithInputAsync(LocalPool.RandomBytes(1000, 1), "upload", "-", "/x.bin");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Contains("event command for PRE_UPLOAD (/bin/sleep) ran longer than 0.5 s (event_command_timeout) and was stopped", upload.StdErr, StringComparison.Ordinal);
        Assert.Contains("event command for POST_UPLOAD (/bin/sh) exited with code 3: something broke", upload.StdErr, StringComparison.Ordinal);

        var delete = await pool.OkAsync("delete", "/x.bin");
        Assert.Contains("event command for PRE_DELETE cannot start /nonexistent/notify-me", delete.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_commands_never_hold_up_the_publisher_and_drop_the_oldest_when_behind()
    {
        var bus = new PoolEventBus();
        using var loggers = LoggerFactory.Create(_ => { });
        await using var commands = new EventCommands(
            bus, new Dictionary<string, List<string>> { ["CHUNK_MISSING"] = ["/bin/sleep", "0.05"] }, TimeSpan.FromSeconds(5), loggers.CreateLogger("test"));
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 5000; i++)
        {
            bus.Publish(new PoolEvent { Type = PoolEventType.ChunkMissing, Path = $"/f{i}", Chunk = 0 });
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"publishing 5000 events took {clock.Elapsed}");
        Assert.True(commands.Dropped >= 5000 - EventCommands.QueueCapacity - 50, $"dropped {commands.Dropped}");
    }

    [Fact]
    public async Task Serve_runs_event_commands_for_what_its_clients_do()
    {
        var events = Path.Combine(Path.GetTempPath(), $"rclonepool-serve-events-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using var pool = await LocalPool.CreateAsync(configure: c => c["event_commands"] = new JsonObject
            {
                ["POST_UPLOAD"] = new JsonArray("/bin/sh", "-c", $"cat >> '{events}'"),
            });
            await using var serve = CliProcess.Start(["--config", pool.ConfigPath, "serve", "--port", "0"], new Dictionary<string, string>());
            var line = await serve.WaitForLineAsync(l => l.StartsWith("serve: WebDAV on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri(line["serve: WebDAV on ".Length..].Split(' ')[0]) };
            using var put = await http.PutAsync("served.txt", new StringContent("hello"), TestContext.Current.CancellationToken);
            put.EnsureSuccessStatusCode();

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!(File.Exists(events) && File.ReadAllText(events).Contains("/served.txt", StringComparison.Ordinal)))
            {
                Assert.True(DateTime.UtcNow < deadline, "serve did not run the POST_UPLOAD command within 20 s");
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            File.Delete(events);
        }
    }
}
