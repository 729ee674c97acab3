using System.Text.Json;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>
/// auto_rebalance in a real <c>serve</c> process against real rclone (local-directory remotes, 2+1 parity): a rebalance
/// starts when a remote joins while serve runs and when the variance is above rebalance_threshold; it is logged, one at a
/// time, and stops cleanly with serve (Ctrl-C) even in the middle of its moves.
/// </summary>
public sealed class CliAutoRebalanceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static readonly string[] ChunkDamage = ["missing", "truncated", "corrupt"];

    private static void Configure(LocalPool pool, Action<JsonObject> change)
    {
        var config = JsonNode.Parse(File.ReadAllText(pool.ConfigPath))!.AsObject();
        change(config);
        File.WriteAllText(pool.ConfigPath, config.ToJsonString());
    }

    private static CliProcess Serve(LocalPool pool) => CliProcess.Start(["--config", pool.ConfigPath, "serve", "--port", "0"], new Dictionary<string, string>());

    /// <summary>Asks balance-status until the pool is under its threshold; fails after <see cref="Patience"/>.</summary>
    private static async Task WaitUntilBalancedAsync(LocalPool pool)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var status = await CliRebalanceTests.JsonAsync(pool, "balance-status");
            if (!status.GetProperty("above_threshold").GetBoolean())
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the pool is still above its threshold after {Patience.TotalSeconds:0} s: {status}");
        }
    }

    [Fact]
    public async Task A_remote_that_joins_while_serve_runs_gets_its_share_and_serve_stops_cleanly()
    {
        var (pool, files, fourth) = await CliRebalanceTests.FilledPoolAsync(12);
        await using var _ = pool;

        // The fourth remote is in the config without a pool descriptor: serve gives it nothing until 'remote add' claims it.
        Configure(pool, c =>
        {
            c["auto_rebalance"] = true;
            c["auto_rebalance_interval"] = 1;
            c["remotes"]!.AsArray().Add(fourth);
        });
        await using var serve = Serve(pool);
        await serve.WaitForLineAsync(l => l.StartsWith("serve: auto_rebalance", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Equal(0, CliRebalanceTests.ChunksOn(fourth));

        await pool.OkAsync("remote", "add", fourth);
        await WaitUntilBalancedAsync(pool);
        Assert.True(CliRebalanceTests.ChunksOn(fourth) > 0);

        var (exit, log) = await serve.SignalAndWaitAsync(2, TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, log);
        Assert.Contains($"{fourth} joined the pool", log, StringComparison.Ordinal);
        Assert.Contains($"Auto-rebalance starting ({fourth} joined)", log, StringComparison.Ordinal);
        Assert.Contains("Auto-rebalance done", log, StringComparison.Ordinal);
        Assert.Contains("Auto-rebalance stopped", log, StringComparison.Ordinal);

        await CliRebalanceTests.AssertEveryFileReadsBackAsync(pool, files);
        Assert.True((await CliRebalanceTests.JsonAsync(pool, "verify")).GetProperty("clean").GetBoolean());
        Assert.Equal(0, (await CliRebalanceTests.JsonAsync(pool, "orphans")).GetProperty("orphan_count").GetInt32());
    }

    [Fact]
    public async Task A_remote_appended_to_the_config_while_serve_runs_joins_and_gets_its_share_without_a_restart()
    {
        var (pool, files, fourth) = await CliRebalanceTests.FilledPoolAsync(12);
        await using var _ = pool;
        Configure(pool, c =>
        {
            c["auto_rebalance"] = true;
            c["auto_rebalance_interval"] = 1;
        });
        await using var serve = Serve(pool);
        await serve.WaitForLineAsync(l => l.StartsWith("serve: auto_rebalance", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        // 'remote add' of a remote the config does not list yet: it appends it to the config file and claims it.
        await pool.OkAsync("remote", "add", fourth);
        Assert.Contains(fourth, File.ReadAllText(pool.ConfigPath), StringComparison.Ordinal);
        await WaitUntilBalancedAsync(pool);
        Assert.True(CliRebalanceTests.ChunksOn(fourth) > 0);

        var (exit, log) = await serve.SignalAndWaitAsync(2, TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, log);
        Assert.Contains($"{fourth} joined the pool while it runs", log, StringComparison.Ordinal);
        Assert.Contains($"Auto-rebalance starting ({fourth} joined)", log, StringComparison.Ordinal);
        Assert.DoesNotContain("restart serve", log, StringComparison.Ordinal);

        await CliRebalanceTests.AssertEveryFileReadsBackAsync(pool, files);
        Assert.True((await CliRebalanceTests.JsonAsync(pool, "verify")).GetProperty("clean").GetBoolean());
        Assert.Equal(0, (await CliRebalanceTests.JsonAsync(pool, "orphans")).GetProperty("orphan_count").GetInt32());
    }

    [Fact]
    public async Task Without_auto_rebalance_a_remote_added_while_serve_runs_takes_new_uploads()
    {
        var (pool, files, fourth) = await CliRebalanceTests.FilledPoolAsync(3);
        await using var _ = pool;
        await using var serve = Serve(pool);
        const string prefix = "serve: WebDAV on ";
        var line = await serve.WaitForLineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var url = new Uri(line[prefix.Length..].Split(' ')[0].TrimEnd('/') + "/");

        await pool.OkAsync("remote", "add", fourth);
        Assert.Equal(0, CliRebalanceTests.ChunksOn(fourth));

        // serve reads its config file every 10 s; from the join on, the new remote is the emptiest, so least_used gives
        // it a shard of every new stripe. Files are put until one lands there.
        using var client = new HttpClient { BaseAddress = url };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        for (var i = 0; CliRebalanceTests.ChunksOn(fourth) == 0; i++)
        {
            Assert.True(DateTime.UtcNow < deadline, "no upload went to the remote added while serve runs within 60 s");
            var added = LocalPool.RandomBytes(3 * 128 * 1024, 100 + i);
            using (var put = await client.PutAsync(new Uri($"data/after-join-{i}.bin", UriKind.Relative), new ByteArrayContent(added), TestContext.Current.CancellationToken))
            {
                Assert.True(put.IsSuccessStatusCode, $"PUT answered {(int)put.StatusCode}");
            }

            files[$"after-join-{i}.bin"] = added;
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        var (exit, log) = await serve.SignalAndWaitAsync(2, TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, log);
        Assert.Contains($"{fourth} joined the pool while it runs", log, StringComparison.Ordinal);

        await CliRebalanceTests.AssertEveryFileReadsBackAsync(pool, files);
        Assert.True((await CliRebalanceTests.JsonAsync(pool, "verify")).GetProperty("clean").GetBoolean());
    }

    [Fact]
    public async Task A_pool_above_the_threshold_is_rebalanced_once_and_a_stop_in_the_middle_loses_nothing()
    {
        var (pool, files, fourth) = await CliRebalanceTests.FilledPoolAsync(30);
        await using var _ = pool;
        await pool.OkAsync("remote", "add", fourth);
        Configure(pool, c =>
        {
            c["auto_rebalance"] = true;
            c["auto_rebalance_interval"] = 1;
        });

        // First run: stopped (Ctrl-C) as soon as the first object lands on the empty remote.
        await using (var serve = Serve(pool))
        {
            var deadline = DateTime.UtcNow + Patience;
            while (CliRebalanceTests.ChunksOn(fourth) == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "auto_rebalance moved nothing onto the empty remote");
                await Task.Delay(20, TestContext.Current.CancellationToken);
            }

            var (exit, log) = await serve.SignalAndWaitAsync(2, TimeSpan.FromSeconds(60));
            Assert.True(exit == 0, log);
            Assert.Contains("Auto-rebalance starting (above the threshold of 10.0 %)", log, StringComparison.Ordinal);
            Assert.Contains("Auto-rebalance stopped", log, StringComparison.Ordinal);
        }

        await CliRebalanceTests.AssertEveryFileReadsBackAsync(pool, files);
        var verify = JsonDocument.Parse((await pool.RunAsync("verify", "--quick", "--json")).StdOut).RootElement;
        Assert.DoesNotContain(verify.GetProperty("damage").EnumerateArray(), d => ChunkDamage.Contains(d.GetProperty("kind").GetString()));

        // Second run: it finishes the job (unless the first did), and once the pool is under the threshold no other rebalance starts.
        var left = (await CliRebalanceTests.JsonAsync(pool, "balance-status")).GetProperty("above_threshold").GetBoolean();
        await using (var serve = Serve(pool))
        {
            await serve.WaitForLineAsync(l => l.StartsWith("serve: auto_rebalance", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            await WaitUntilBalancedAsync(pool);
            await CliRebalanceTests.JsonAsync(pool, "balance-status"); // a few more checks go by meanwhile
            var (exit, log) = await serve.SignalAndWaitAsync(2, TimeSpan.FromSeconds(60));
            Assert.True(exit == 0, log);
            Assert.Equal(left ? 1 : 0, log.Split('\n').Count(l => l.Contains("Auto-rebalance starting", StringComparison.Ordinal)));
        }

        await CliRebalanceTests.AssertEveryFileReadsBackAsync(pool, files);
        await pool.OkAsync("orphans", "--delete", "--min-age", "0s");
        Assert.True((await CliRebalanceTests.JsonAsync(pool, "verify")).GetProperty("clean").GetBoolean());
    }
}
