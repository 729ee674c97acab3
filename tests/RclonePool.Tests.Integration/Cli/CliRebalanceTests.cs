using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Remotes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>
/// balance-status, rebalance and remote add through the real CLI against real rclone: three local-directory remotes
/// holding files under 2+1 parity, then a fourth, empty one joins.
/// </summary>
public sealed class CliRebalanceTests
{
    private const int Chunk = 128 * 1024;

    private static readonly string[] ChunkDamage = ["missing", "truncated", "corrupt"];

    /// <summary>A pool of r1..r3 holding <paramref name="count"/> files under /data, and r4 (empty) beside it, not yet in the pool.</summary>
    internal static async Task<(LocalPool Pool, Dictionary<string, byte[]> Files, string Fourth)> FilledPoolAsync(int count)
    {
        var pool = await LocalPool.CreateAsync(remotes: 3, chunkSize: Chunk, configure: c =>
        {
            c["redundancy_mode"] = "parity";
            c["parity_data_shards"] = 2;
            c["parity_parity_shards"] = 1;
        });
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var source = pool.Local("data");
        Directory.CreateDirectory(source);
        for (var i = 0; i < count; i++)
        {
            var data = LocalPool.RandomBytes((Chunk / 2) + (i * 37_000), i);
            await File.WriteAllBytesAsync(Path.Combine(source, $"f{i:00}.bin"), data);
            files[$"f{i:00}.bin"] = data;
        }

        await pool.OkAsync("upload", source, "/data");
        var fourth = Path.Combine(pool.Root, "remotes", "r4");
        Directory.CreateDirectory(fourth);
        return (pool, files, fourth);
    }

    /// <summary>Downloads /data and compares every file byte for byte.</summary>
    internal static async Task AssertEveryFileReadsBackAsync(LocalPool pool, Dictionary<string, byte[]> files)
    {
        var target = pool.Local("out-" + Guid.NewGuid().ToString("N")[..8]);
        await pool.OkAsync("download", "/data", target);
        foreach (var (name, data) in files)
        {
            var read = await File.ReadAllBytesAsync(Path.Combine(target, name));
            Assert.True(data.AsSpan().SequenceEqual(read), $"{name} reads back changed");
        }

        Directory.Delete(target, recursive: true);
    }

    internal static async Task<JsonElement> JsonAsync(LocalPool pool, params string[] arguments)
    {
        var result = await pool.OkAsync([.. arguments, "--json"]);
        return JsonDocument.Parse(result.StdOut).RootElement;
    }

    /// <summary>Every file under the remotes and the config, with the SHA-256 of its bytes.</summary>
    internal static SortedDictionary<string, string> Snapshot(LocalPool pool)
    {
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, _) in pool.RemoteFiles())
        {
            snapshot[path] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(pool.Root, "remotes", path))));
        }

        snapshot["config.json"] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(pool.ConfigPath)));
        return snapshot;
    }

    private static void SetWeights(LocalPool pool, JsonObject? weights)
    {
        var config = JsonNode.Parse(File.ReadAllText(pool.ConfigPath))!.AsObject();
        if (weights is null)
        {
            config.Remove("remote_weights");
        }
        else
        {
            config["remote_weights"] = weights;
        }

        File.WriteAllText(pool.ConfigPath, config.ToJsonString());
    }

    [Fact]
    public async Task A_fourth_empty_remote_is_filled_to_the_target_and_every_file_stays_bit_exact_with_nothing_left_over()
    {
        var (pool, files, fourth) = await FilledPoolAsync(12);
        await using var _ = pool;

        var added = await pool.OkAsync("remote", "add", fourth);
        Assert.Contains("rclonepool rebalance", added.StdOut, StringComparison.Ordinal);
        Assert.Contains(fourth, File.ReadAllText(pool.ConfigPath), StringComparison.Ordinal);

        var before = await JsonAsync(pool, "balance-status");
        Assert.True(before.GetProperty("above_threshold").GetBoolean());
        Assert.Equal(0, before.GetProperty("remotes")[3].GetProperty("used_bytes").GetInt64());

        var snapshot = Snapshot(pool);
        var dry = await JsonAsync(pool, "rebalance", "--dry-run");
        Assert.True(dry.GetProperty("moves_planned").GetInt32() > 0);
        Assert.True(dry.GetProperty("reaches_target").GetBoolean());
        Assert.Equal(snapshot, Snapshot(pool));

        var run = await JsonAsync(pool, "rebalance", "--target-variance", "5.0");
        Assert.True(run.GetProperty("variance_after_percent").GetDouble() <= 5.0, run.ToString());
        Assert.Equal(run.GetProperty("moves_planned").GetInt32(), run.GetProperty("moves_done").GetInt32());
        Assert.All(run.GetProperty("moves").EnumerateArray(), m => Assert.Equal(fourth, m.GetProperty("to_remote").GetString()));

        var after = await JsonAsync(pool, "balance-status");
        Assert.False(after.GetProperty("above_threshold").GetBoolean());
        await AssertEveryFileReadsBackAsync(pool, files);
        Assert.True((await JsonAsync(pool, "verify")).GetProperty("clean").GetBoolean());
        var orphans = await JsonAsync(pool, "orphans");
        Assert.Equal(0, orphans.GetProperty("orphan_count").GetInt32());
        Assert.Equal(0, orphans.GetProperty("stale_manifests").GetArrayLength());
        Assert.Equal(pool.ChunkFiles().Count(), orphans.GetProperty("referenced_chunks").GetInt32());
    }

    [Fact]
    public async Task Remote_drain_empties_a_remote_keeps_every_file_bit_exact_and_new_uploads_avoid_it()
    {
        var (pool, files, fourth) = await FilledPoolAsync(12);
        await using var _ = pool;
        await pool.OkAsync("remote", "add", fourth, "--rebalance");
        var first = pool.Remotes[0];
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(first, "rclonepool_data"), "*", SearchOption.AllDirectories));

        var drained = await pool.OkAsync("remote", "drain", first);
        Assert.Contains("nothing of the pool is left on it", drained.StdOut, StringComparison.Ordinal);
        Assert.Contains("draining_remotes", File.ReadAllText(pool.ConfigPath), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(first, "rclonepool_data"), "*", SearchOption.AllDirectories));
        await AssertEveryFileReadsBackAsync(pool, files);
        Assert.True((await JsonAsync(pool, "verify")).GetProperty("clean").GetBoolean());

        var late = pool.Local("late.bin");
        await File.WriteAllBytesAsync(late, LocalPool.RandomBytes(4 * Chunk, 99));
        await pool.OkAsync("upload", late, "/late.bin");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(first, "rclonepool_data"), "*", SearchOption.AllDirectories));

        var unknown = await pool.RunAsync("remote", "drain", "/no/such/remote");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("is not a remote of the pool", unknown.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_and_a_remote_that_does_not_answer_get_clear_errors_and_change_nothing()
    {
        var (pool, _, fourth) = await FilledPoolAsync(3);
        await using var _ = pool;
        await pool.OkAsync("remote", "add", fourth);
        var snapshot = Snapshot(pool);

        var negative = await pool.RunAsync("rebalance", "--target-variance", "-1");
        Assert.Equal(2, negative.ExitCode);
        Assert.Contains("--target-variance -1 is not a variance", negative.StdErr, StringComparison.Ordinal);

        var unknown = await pool.RunAsync("remote", "add", "nosuchremote:");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("nosuchremote:", unknown.StdErr, StringComparison.Ordinal);
        Assert.Contains("rclone config", unknown.StdErr, StringComparison.Ordinal);

        // r2 stops answering: a file where its directory was makes every listing of it fail.
        var r2 = pool.Remotes[1];
        Directory.Move(r2, r2 + ".away");
        await File.WriteAllTextAsync(r2, "not a directory");
        var down = await pool.RunAsync("rebalance");
        File.Delete(r2);
        Directory.Move(r2 + ".away", r2);
        Assert.Equal(5, down.ExitCode);
        Assert.Contains("nothing was moved", down.StdErr, StringComparison.Ordinal);

        Assert.Equal(snapshot, Snapshot(pool));
    }

    /// <summary>
    /// Starts <paramref name="command"/> ('rebalance' when empty) and kills it with SIGKILL (the process alone, as a crash would) <paramref name="extraMilliseconds"/>
    /// after its log says the moves of the <paramref name="afterFiles"/>th file are done: inside the next file's copies,
    /// checks, manifest writes or deletes. Returns what happened.
    /// </summary>
    private static async Task<string> RunAndKillAsync(LocalPool pool, int afterFiles, int extraMilliseconds, params string[] command)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments = [CliRunner.CliAssembly, "--config", pool.ConfigPath, .. command.Length > 0 ? command : ["rebalance"]];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment.Remove("RCLONEPOOL_CONFIG");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var moved = 0;
        while (await process.StandardError.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            if (line.Contains("Rebalance moved", StringComparison.Ordinal) && ++moved == afterFiles)
            {
                await Task.Delay(extraMilliseconds, TestContext.Current.CancellationToken);
                process.Kill(); // SIGKILL to the process alone; nothing when it has already exited
                break;
            }
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        await stdout;
        return process.ExitCode == 128 + 9
            ? $"killed {extraMilliseconds} ms after file {afterFiles}"
            : $"finished after {moved} files before kill point {afterFiles} + {extraMilliseconds} ms (exit {process.ExitCode})";
    }

    /// <summary>
    /// A drain onto an rclone union remote (over two directories; it reports sha256 and is not a local directory to
    /// rclonepool, like a cloud account that keeps hashes): each copy is checked by the hash there instead of being read
    /// back, and every file reads back.
    /// </summary>
    [Fact]
    public async Task A_drain_onto_a_remote_that_reports_hashes_checks_each_copy_by_its_hash_there()
    {
        await using var pool = await LocalPool.CreateAsync(remotes: 2, chunkSize: Chunk);
        var upstreams = new[] { Path.Combine(pool.Root, "remotes", "hashed1"), Path.Combine(pool.Root, "remotes", "hashed2") };
        Array.ForEach(upstreams, d => Directory.CreateDirectory(d));
        var rcloneConfig = Path.Combine(pool.Root, "rclone.conf");
        await File.WriteAllTextAsync(rcloneConfig, $"[hashed]\ntype = union\nupstreams = {upstreams[0]} {upstreams[1]}\n");
        var config = JsonNode.Parse(await File.ReadAllTextAsync(pool.ConfigPath))!.AsObject();
        config["rclone_flags"] = new JsonArray("--config", rcloneConfig);
        await File.WriteAllTextAsync(pool.ConfigPath, config.ToJsonString());
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        Directory.CreateDirectory(pool.Local("data"));
        for (var i = 0; i < 4; i++)
        {
            files[$"f{i}.bin"] = LocalPool.RandomBytes((2 * Chunk) + (i * 10_000), i);
            await File.WriteAllBytesAsync(Path.Combine(pool.Local("data"), $"f{i}.bin"), files[$"f{i}.bin"]);
        }

        await pool.OkAsync("upload", pool.Local("data"), "/data");
        await pool.OkAsync("remote", "add", "hashed:");
        var first = pool.Remotes[0];
        var moving = ChunksOn(first);
        Assert.True(moving > 0);

        var drain = await pool.OkAsync("-v", "remote", "drain", first);

        Assert.Equal(moving, drain.StdErr.Split('\n').Count(l => l.Contains("checked on hashed: by its sha256, without reading it back", StringComparison.Ordinal)));
        Assert.Equal(0, ChunksOn(first));
        await AssertEveryFileReadsBackAsync(pool, files);
        Assert.True((await JsonAsync(pool, "verify")).GetProperty("clean").GetBoolean());
    }

    /// <summary>The chunk objects (and shards) the pool's manifests name on a remote, as balance-status counts them.</summary>
    private static async Task<long> ObjectsOfThePoolOnAsync(LocalPool pool, string remote) =>
        (await JsonAsync(pool, "balance-status")).GetProperty("remotes").EnumerateArray()
            .Single(r => r.GetProperty("remote").GetString() == remote).GetProperty("objects").GetInt64();

    /// <summary>Chunk objects (and shards) stored on a local remote.</summary>
    internal static int ChunksOn(string remote) =>
        Directory.Exists(Path.Combine(remote, "rclonepool_data")) ? Directory.EnumerateFiles(Path.Combine(remote, "rclonepool_data"), "*", SearchOption.AllDirectories).Count() : 0;

    /// <summary>
    /// rebalance killed with SIGKILL at ten seeded points (after the Nth file's moves, plus a few ms; runs that finish before their point do not count, at most 16 runs); each run is given other weights first, so every run has moves
    /// to make. After each kill every file reads back bit-exact and verify finds no chunk damage; at the end a last run
    /// completes, verify is clean and 'orphans --delete' leaves exactly the referenced objects.
    /// </summary>
    [Fact]
    public async Task Rebalance_killed_at_seeded_moments_never_loses_a_file_and_a_rerun_finishes()
    {
        var (pool, files, fourth) = await FilledPoolAsync(12);
        await using var _ = pool;
        await pool.OkAsync("remote", "add", fourth);
        var random = new Random(15);
        var outcomes = new List<string>();
        while (outcomes.Count(o => o.StartsWith("killed", StringComparison.Ordinal)) < 10 && outcomes.Count < 16)
        {
            SetWeights(pool, outcomes.Count % 2 == 0 ? new JsonObject { [fourth] = 3.0 } : new JsonObject { [pool.Remotes[0]] = 3.0 });
            outcomes.Add(await RunAndKillAsync(pool, afterFiles: random.Next(1, 6), extraMilliseconds: random.Next(0, 40)));
            await AssertEveryFileReadsBackAsync(pool, files);
            var verify = await pool.RunAsync("verify", "--quick", "--json");
            var damage = JsonDocument.Parse(verify.StdOut).RootElement.GetProperty("damage").EnumerateArray();
            Assert.DoesNotContain(damage, d => ChunkDamage.Contains(d.GetProperty("kind").GetString()));
        }

        SetWeights(pool, null);
        var last = await JsonAsync(pool, "rebalance");
        Assert.True(last.GetProperty("reaches_target").GetBoolean(), $"{last}\n{string.Join("\n", outcomes)}");
        Assert.True(outcomes.Count(o => o.StartsWith("killed", StringComparison.Ordinal)) >= 8, string.Join("\n", outcomes));
        await pool.OkAsync("orphans", "--delete", "--min-age", "0s");
        Assert.True((await JsonAsync(pool, "verify")).GetProperty("clean").GetBoolean());
        var orphans = await JsonAsync(pool, "orphans", "--min-age", "0s");
        Assert.Equal(0, orphans.GetProperty("orphan_count").GetInt32());
        Assert.Equal(pool.ChunkFiles().Count(), orphans.GetProperty("referenced_chunks").GetInt32());
        await AssertEveryFileReadsBackAsync(pool, files);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", outcomes));
    }

    /// <summary>
    /// remote drain killed with SIGKILL at ten seeded points (runs that finish before their point do not count); whenever the remote has less than a third of its share left,
    /// it gets its share back first (out of draining_remotes, rebalanced), so every drain has work to do. After each kill,
    /// every file reads back bit-exact and verify finds no chunk damage; then the drain runs to the end, and the drained
    /// remote holds no chunk object.
    /// </summary>
    [Fact]
    public async Task Remote_drain_killed_at_seeded_points_never_loses_a_file_and_a_rerun_empties_the_remote()
    {
        var (pool, files, fourth) = await FilledPoolAsync(12);
        await using var _ = pool;
        await pool.OkAsync("remote", "add", fourth, "--rebalance");
        var first = pool.Remotes[0];
        var share = await ObjectsOfThePoolOnAsync(pool, first);
        var random = new Random(16);
        var outcomes = new List<string>();
        while (outcomes.Count(o => o.StartsWith("killed", StringComparison.Ordinal)) < 10 && outcomes.Count < 16)
        {
            // What the pool names on it (objects a killed run left behind unnamed do not count: the next drain has nothing to move for them).
            if (await ObjectsOfThePoolOnAsync(pool, first) < share / 3)
            {
                var config = JsonNode.Parse(File.ReadAllText(pool.ConfigPath))!.AsObject();
                config.Remove("draining_remotes");
                File.WriteAllText(pool.ConfigPath, config.ToJsonString());
                await pool.OkAsync("rebalance");
            }

            outcomes.Add(await RunAndKillAsync(pool, afterFiles: random.Next(1, 3), extraMilliseconds: random.Next(0, 20), "remote", "drain", first));
            await AssertEveryFileReadsBackAsync(pool, files);
            var verify = await pool.RunAsync("verify", "--quick", "--json");
            var damage = JsonDocument.Parse(verify.StdOut).RootElement.GetProperty("damage").EnumerateArray();
            Assert.DoesNotContain(damage, d => ChunkDamage.Contains(d.GetProperty("kind").GetString()));
        }

        var done = await pool.OkAsync("remote", "drain", first);
        Assert.Contains("nothing of the pool is left on it", done.StdOut, StringComparison.Ordinal);
        Assert.True(outcomes.Count(o => o.StartsWith("killed", StringComparison.Ordinal)) >= 10, string.Join("\n", outcomes));
        await pool.OkAsync("orphans", "--delete", "--min-age", "0s");
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(first, "rclonepool_data"), "*", SearchOption.AllDirectories));
        Assert.True((await JsonAsync(pool, "verify")).GetProperty("clean").GetBoolean());
        await AssertEveryFileReadsBackAsync(pool, files);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", outcomes));
    }
}
