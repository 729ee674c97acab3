using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>
/// remote remove through the real CLI against real rclone (local-directory remotes, 2+1 parity unless said): refused
/// while the remote holds data, done once it is drained; --force for a dead remote the others can rebuild, refused (naming
/// the files) when they cannot.
/// </summary>
public sealed class CliRemoteRemoveTests
{
    private static JsonObject Config(LocalPool pool) => JsonNode.Parse(File.ReadAllText(pool.ConfigPath))!.AsObject();

    private static IEnumerable<string> Objects(string remote, string directory) =>
        Directory.Exists(Path.Combine(remote, directory)) ? Directory.EnumerateFiles(Path.Combine(remote, directory), "*", SearchOption.AllDirectories) : [];

    /// <summary>Makes a local-directory remote stop answering: a file where its directory was makes every listing of it fail.</summary>
    private static void Kill(string remote)
    {
        Directory.Move(remote, remote + ".dead");
        File.WriteAllText(remote, "not a directory");
    }

    [Fact]
    public async Task A_remote_holding_data_is_refused_with_the_drain_command_and_a_drained_one_leaves_the_pool_and_the_config()
    {
        var (pool, files, fourth) = await CliRebalanceTests.FilledPoolAsync(8);
        await using var _ = pool;
        await pool.OkAsync("remote", "add", fourth, "--rebalance");
        var first = pool.Remotes[0];
        var config = Config(pool);
        config["remote_weights"] = new JsonObject { [first] = 2.0, [fourth] = 1.0 };
        File.WriteAllText(pool.ConfigPath, config.ToJsonString());
        var snapshot = CliRebalanceTests.Snapshot(pool);

        var holding = await pool.RunAsync("remote", "remove", first);
        Assert.Equal(4, holding.ExitCode);
        Assert.Contains("still holds", holding.StdErr, StringComparison.Ordinal);
        Assert.Contains($"rclonepool remote drain {first}", holding.StdErr, StringComparison.Ordinal);
        var unknown = await pool.RunAsync("remote", "remove", "/no/such/remote");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("is not a remote of the pool", unknown.StdErr, StringComparison.Ordinal);
        Assert.Equal(snapshot, CliRebalanceTests.Snapshot(pool));

        await pool.OkAsync("remote", "drain", first);
        var removed = await pool.OkAsync("remote", "remove", first);
        Assert.Contains("left the pool", removed.StdOut, StringComparison.Ordinal);

        // Out of remotes, draining_remotes and remote_weights; the other remote's weight stays.
        config = Config(pool);
        Assert.DoesNotContain(first, config["remotes"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.DoesNotContain(first, config["draining_remotes"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.False(config["remote_weights"]!.AsObject().ContainsKey(first));
        Assert.True(config["remote_weights"]!.AsObject().ContainsKey(fourth));

        // Nothing of the pool is left on it: no chunk, no manifest, no descriptor.
        Assert.Empty(Directory.EnumerateFiles(first, "*", SearchOption.AllDirectories));
        await CliRebalanceTests.AssertEveryFileReadsBackAsync(pool, files);
        Assert.True((await CliRebalanceTests.JsonAsync(pool, "verify")).GetProperty("clean").GetBoolean());
        var late = pool.Local("late.bin");
        await File.WriteAllBytesAsync(late, LocalPool.RandomBytes(300_000, 7));
        await pool.OkAsync("upload", late, "/late.bin");
        Assert.Empty(Directory.EnumerateFiles(first, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Force_removes_a_dead_remote_whose_data_the_others_can_rebuild_and_rebuilds_it()
    {
        var (pool, files, fourth) = await CliRebalanceTests.FilledPoolAsync(8);
        await using var _ = pool;
        await pool.OkAsync("remote", "add", fourth, "--rebalance");
        var dead = pool.Remotes[1];
        Assert.NotEmpty(Objects(dead, "rclonepool_data"));
        Kill(dead);

        var refused = await pool.RunAsync("remote", "remove", dead);
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("--force", refused.StdErr, StringComparison.Ordinal);

        var forced = await pool.OkAsync("remote", "remove", dead, "--force");
        Assert.Contains("did not answer", forced.StdOut, StringComparison.Ordinal);
        Assert.Contains("rebuild:", forced.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(dead, Config(pool)["remotes"]!.AsArray().Select(r => r!.GetValue<string>()));

        // Every stripe is whole again on the three remotes left: verify is clean and no manifest names the dead remote.
        var verify = await CliRebalanceTests.JsonAsync(pool, "verify");
        Assert.True(verify.GetProperty("clean").GetBoolean(), verify.ToString());
        var live = pool.Remotes.Where(r => r != dead).Append(fourth);
        Assert.All(live.SelectMany(r => Objects(r, "rclonepool_manifests")), m => Assert.DoesNotContain(dead, File.ReadAllText(m), StringComparison.Ordinal));
        await CliRebalanceTests.AssertEveryFileReadsBackAsync(pool, files);
    }

    [Fact]
    public async Task Force_is_refused_naming_the_files_that_would_be_lost_and_nothing_changes()
    {
        // Without redundancy every chunk on r1 is the only one.
        await using var plain = await LocalPool.CreateAsync(remotes: 3, chunkSize: 64 * 1024);
        var source = plain.Local("one.bin");
        await File.WriteAllBytesAsync(source, LocalPool.RandomBytes(600_000, 3));
        await plain.OkAsync("upload", source, "/one.bin");
        var snapshot = CliRebalanceTests.Snapshot(plain);
        var lost = await plain.RunAsync("remote", "remove", plain.Remotes[0], "--force");
        Assert.Equal(4, lost.ExitCode);
        Assert.Contains("would lose 1 files", lost.StdErr, StringComparison.Ordinal);
        Assert.Contains("/one.bin", lost.StdErr, StringComparison.Ordinal);
        Assert.Equal(snapshot, CliRebalanceTests.Snapshot(plain));

        // Under 2+1 parity one remote may go, but not while another is already dead: the stripes of the full chunks would
        // keep 1 of 2 shards. The fourth remote is added without a rebalance, so every stripe stays on r1, r2 and r3 (after a
        // rebalance, which shards move to r4 varies, and a placement where no stripe spans both r1 and r3 survives the loss).
        var (pool, _, fourth) = await CliRebalanceTests.FilledPoolAsync(4);
        await using var _ = pool;
        await pool.OkAsync("remote", "add", fourth);
        Kill(pool.Remotes[2]);
        var before = File.ReadAllText(pool.ConfigPath);
        var both = await pool.RunAsync("remote", "remove", pool.Remotes[0], "--force");
        Assert.Equal(4, both.ExitCode);
        Assert.Contains("not answering", both.StdErr, StringComparison.Ordinal);
        Assert.Contains("/data/f", both.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(pool.ConfigPath));
        Assert.NotEmpty(Objects(pool.Remotes[0], "rclonepool_manifests"));
    }
}
