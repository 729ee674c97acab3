using System.Text.Json;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>
/// remote drain at its limits, through the real CLI against real rclone: a drain that cannot finish is refused before
/// anything changes; a drain under 4+2 parity with another remote already dead keeps every stripe readable throughout.
/// </summary>
public sealed class CliDrainTests
{
    private static readonly string[] ChunkDamage = ["missing", "truncated", "corrupt"];

    [Fact]
    public async Task Draining_the_last_remote_that_can_hold_the_data_is_refused_and_changes_nothing()
    {
        // Two copies of every chunk over exactly two remotes: r1's copies have nowhere to go.
        await using var pool = await LocalPool.CreateAsync(remotes: 2, chunkSize: 64 * 1024, configure: c =>
        {
            c["redundancy_mode"] = "replication";
            c["replication_factor"] = 2;
        });
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { ["one.bin"] = LocalPool.RandomBytes(300_000, 31) };
        Directory.CreateDirectory(pool.Local("data"));
        await File.WriteAllBytesAsync(Path.Combine(pool.Local("data"), "one.bin"), files["one.bin"]);
        await pool.OkAsync("upload", pool.Local("data"), "/data");
        var snapshot = CliRebalanceTests.Snapshot(pool);

        var refused = await pool.RunAsync("remote", "drain", pool.Remotes[0]);
        Assert.Equal(4, refused.ExitCode);
        Assert.Contains("cannot be drained", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains("remote add", refused.StdErr, StringComparison.Ordinal);
        Assert.Equal(snapshot, CliRebalanceTests.Snapshot(pool));
        await CliRebalanceTests.AssertEveryFileReadsBackAsync(pool, files);
    }

    /// <summary>The newest revision of each file among the manifests on disk outside <paramref name="dead"/>.</summary>
    private static IReadOnlyCollection<Manifest> Newest(LocalPool pool, string dead)
    {
        var newest = new Dictionary<string, Manifest>(StringComparer.Ordinal);
        foreach (var remote in pool.Remotes.Where(r => r != dead))
        {
            var directory = Path.Combine(remote, "rclonepool_manifests");
            foreach (var file in Directory.Exists(directory) ? Directory.EnumerateFiles(directory) : [])
            {
                Manifest manifest;
                try
                {
                    manifest = ManifestSerializer.Deserialize(File.ReadAllBytes(file), file);
                }
                catch (Exception e) when (e is IOException or Core.Errors.PoolException or JsonException)
                {
                    continue; // removed or being written at this moment
                }

                if (!newest.TryGetValue(manifest.FileId, out var seen) || seen.Revision < manifest.Revision)
                {
                    newest[manifest.FileId] = manifest;
                }
            }
        }

        return newest.Values;
    }

    /// <summary>
    /// The least margin (readable shards beyond the k needed, by <see cref="HealthRule"/>) of any stripe of the current
    /// revisions on disk outside <paramref name="dead"/>. A stripe found short is looked at again once, as a move may have
    /// retired the revision between the two reads.
    /// </summary>
    private static int FewestReadableShards(LocalPool pool, string dead)
    {
        for (var attempt = 0; ; attempt++)
        {
            var fewest = Newest(pool, dead).SelectMany(m => m.Chunks.Select(c => (Manifest: m, Chunk: c)))
                .Select(x => HealthRule.Of(x.Manifest, x.Chunk, [.. x.Chunk.Locations.Select(l => l.Remote != dead && File.Exists(Path.Combine(l.Remote, l.Object)))]).Margin)
                .DefaultIfEmpty(int.MaxValue).Min();
            if (fewest >= 0 || attempt == 1)
            {
                return fewest;
            }
        }
    }

    [Fact]
    public async Task A_drain_under_4_plus_2_parity_with_another_remote_dead_keeps_every_stripe_at_k_readable_shards_or_more()
    {
        // Chunks of four 256 KiB blocks: every stripe stores 4 data and 2 parity shards, on 6 of the 8 remotes.
        await using var pool = await LocalPool.CreateAsync(remotes: 8, chunkSize: 1 << 20, configure: c =>
        {
            c["redundancy_mode"] = "parity";
            c["parity_data_shards"] = 4;
            c["parity_parity_shards"] = 2;
        });
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var source = pool.Local("data");
        Directory.CreateDirectory(source);
        for (var i = 0; i < 10; i++)
        {
            files[$"f{i:00}.bin"] = LocalPool.RandomBytes(1_100_000 + (i * 310_000), 400 + i);
            await File.WriteAllBytesAsync(Path.Combine(source, $"f{i:00}.bin"), files[$"f{i:00}.bin"]);
        }

        await pool.OkAsync("upload", source, "/data");
        var drained = pool.Remotes[0];
        var dead = pool.Remotes[1];
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(drained, "rclonepool_data"), "*", SearchOption.AllDirectories));
        Directory.Move(dead, dead + ".dead");
        await File.WriteAllTextAsync(dead, "not a directory");

        // Watch the stripes on disk for as long as the drain runs.
        var drain = pool.RunAsync("remote", "drain", drained);
        var fewest = int.MaxValue;
        var looks = 0;
        while (!drain.IsCompleted)
        {
            fewest = Math.Min(fewest, FewestReadableShards(pool, dead));
            looks++;
        }

        var result = await drain;
        fewest = Math.Min(fewest, FewestReadableShards(pool, dead));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("nothing of the pool is left on it", result.StdOut, StringComparison.Ordinal);
        Assert.True(fewest >= 0, $"a stripe fell to {4 + fewest} readable shards (k = 4) during the drain ({looks} looks)");
        Assert.DoesNotContain(Newest(pool, dead).SelectMany(m => m.Chunks).SelectMany(c => c.Locations), l => l.Remote == drained);

        await CliRebalanceTests.AssertEveryFileReadsBackAsync(pool, files);
        var verify = JsonDocument.Parse((await pool.RunAsync("verify", "--quick", "--json")).StdOut).RootElement;
        Assert.DoesNotContain(verify.GetProperty("damage").EnumerateArray(), d => ChunkDamage.Contains(d.GetProperty("kind").GetString()) && !d.ToString().Contains(dead, StringComparison.Ordinal));

        // The dead remote still has the older revisions, which name the drained objects: those stay until it is back and
        // the drain, run again, retires the older revisions everywhere.
        File.Delete(dead);
        Directory.Move(dead + ".dead", dead);
        await pool.OkAsync("remote", "drain", drained);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(drained, "rclonepool_data"), "*", SearchOption.AllDirectories));
        Assert.True((await CliRebalanceTests.JsonAsync(pool, "verify")).GetProperty("clean").GetBoolean());
        await CliRebalanceTests.AssertEveryFileReadsBackAsync(pool, files);
        TestContext.Current.TestOutputHelper?.WriteLine($"fewest readable shards of a stripe seen in {looks} looks during the drain: {4 + fewest} (k = 4, k + m = 6, one remote dead)");
    }
}
