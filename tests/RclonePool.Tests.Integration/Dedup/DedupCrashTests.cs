using System.Text.Json;
using RclonePool.Tests.Integration.Faults;

namespace RclonePool.Tests.Integration.Dedup;

/// <summary>
/// SIGKILL of the CLI at seeded points during uploads, deletes and 'orphans --delete' of deduplicated content (files made
/// of chunks from a small library, so most chunks are shared). After each kill: every file the pool shows reads back
/// bit-exact, verify finds no missing or damaged chunk (nothing referenced was removed), and a full sweep leaves exactly
/// the chunk objects the manifests on the remotes name.
/// </summary>
public sealed class DedupCrashTests
{
    private const int Seed = 20261206;
    private const int KillPoints = 12;

    private static readonly string[] ChunkDamage = ["missing", "truncated", "corrupt", "unreachable"];

    [Fact]
    public async Task Killing_uploads_deletes_and_sweeps_of_shared_chunks_never_loses_a_visible_file()
    {
        await using var pool = await FaultPool.CreateAsync(local: 3, configure: c =>
        {
            c["enable_deduplication"] = true;
            c["redundancy_mode"] = "replication";
            c["replication_factor"] = 2;
            c["max_parallel_workers"] = 2;
        });
        var random = new Random(Seed);
        var model = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < 3; i++)
        {
            var data = Content(random);
            await pool.OkAsync("upload", await pool.WriteLocalAsync($"seed{i}", data), $"/f{i}");
            model[$"/f{i}"] = data;
        }

        var kills = 0;
        var log = new List<string>();
        for (var attempt = 0; kills < KillPoints && attempt < 40; attempt++)
        {
            var allowed = model.ToDictionary(p => p.Key, p => (IReadOnlyList<byte[]?>)[p.Value], StringComparer.Ordinal);
            var existing = model.Keys.Order(StringComparer.Ordinal).ToList();
            string[] arguments;
            string description;
            int changes;
            switch (existing.Count <= 2 ? 0 : attempt % 3)
            {
                case 0:
                    {
                        var path = Enumerable.Range(0, 100).Select(i => $"/f{i}").First(p => !model.ContainsKey(p));
                        var data = Content(random);
                        allowed[path] = [null, data];
                        arguments = ["upload", await pool.WriteLocalAsync($"next{attempt}", data), path];
                        (description, changes) = ($"upload {path}", (2 * (data.Length / CliDedupChunk)) + 4);
                        break;
                    }

                case 1:
                    {
                        var path = existing[random.Next(existing.Count)];
                        allowed[path] = [model[path], null];
                        arguments = ["delete", path];
                        (description, changes) = ($"delete {path}", 4);
                        break;
                    }

                default:
                    {
                        // The sweep has work: a file deleted first (not killed) leaves its unshared chunks behind.
                        var path = existing[random.Next(existing.Count)];
                        await pool.OkAsync("delete", path);
                        allowed.Remove(path);
                        model.Remove(path);
                        arguments = ["orphans", "--delete", "--min-age", "0"];
                        (description, changes) = ($"orphans --delete after deleting {path}", 2 + pool.ChunkFiles().Count() - pool.ReferencedChunkFiles().Count);
                        break;
                    }
            }

            var killAfter = random.Next(1, Math.Max(2, changes) + 1);
            var run = await KillableRun.RunAsync(pool, killAfter, arguments);
            kills += run.Killed ? 1 : 0;
            log.Add($"{attempt}: {description}, kill after {killAfter} of ~{changes} changes: {(run.Killed ? "killed" : $"finished first (exit {run.ExitCode})")}");
            model = await CheckAsync(pool, allowed, string.Join("\n", log));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", log));
        Assert.True(kills >= KillPoints, $"only {kills} kills landed inside an operation:\n{string.Join("\n", log)}");
    }

    private const int CliDedupChunk = 64 * 1024;

    /// <summary>Three to seven chunks from a library of eight, and now and then one never seen.</summary>
    private static byte[] Content(Random random)
    {
        var chunks = Enumerable.Range(0, random.Next(3, 8)).Select(_ => random.Next(0, 8)).ToList();
        if (random.Next(3) == 0)
        {
            chunks.Add(random.Next(100, 100_000));
        }

        return CliDedupTests.Mix([.. chunks]);
    }

    /// <summary>Checks the pool after an operation (killed or not) and returns what each path now holds.</summary>
    private static async Task<Dictionary<string, byte[]>> CheckAsync(FaultPool pool, Dictionary<string, IReadOnlyList<byte[]?>> allowed, string log)
    {
        // 1. Nothing referenced was removed: verify finds every chunk of every file, on every remote, with its size.
        var verify = await pool.RunAsync("verify", "--quick", "--json");
        Assert.True(verify.ExitCode is 0 or 6, $"{verify}\n{log}");
        foreach (var damage in JsonDocument.Parse(verify.StdOut).RootElement.GetProperty("damage").EnumerateArray())
        {
            Assert.False(ChunkDamage.Contains(damage.GetProperty("kind").GetString()), $"{damage}\n{log}");
        }

        // 2. Everything the pool shows reads back (every byte verified) as one of the allowed contents.
        var target = pool.Local("check-" + Guid.NewGuid().ToString("N")[..8]);
        var download = await pool.RunAsync("download", "/", target);
        Assert.True(download.ExitCode == 0, $"{download}\n{log}");
        var visible = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories)
            .ToDictionary(f => "/" + Path.GetRelativePath(target, f), File.ReadAllBytes, StringComparer.Ordinal);
        Directory.Delete(target, recursive: true);
        AssertAllowed(visible, allowed, "before the sweep", log);

        // 3. A full sweep leaves exactly what the manifests name, and the files still read.
        var orphans = await pool.RunAsync("orphans", "--delete", "--min-age", "0");
        Assert.True(orphans.ExitCode == 0, $"{orphans}\n{log}");
        Assert.Equal(pool.ReferencedChunkFiles().Order(StringComparer.Ordinal), pool.ChunkFiles().Order(StringComparer.Ordinal));
        var again = pool.Local("again-" + Guid.NewGuid().ToString("N")[..8]);
        var reread = await pool.RunAsync("download", "/", again);
        Assert.True(reread.ExitCode == 0, $"after the sweep: {reread}\n{log}");
        var after = Directory.EnumerateFiles(again, "*", SearchOption.AllDirectories)
            .ToDictionary(f => "/" + Path.GetRelativePath(again, f), File.ReadAllBytes, StringComparer.Ordinal);
        Directory.Delete(again, recursive: true);
        // The sweep first makes the index match the remotes: a file whose delete was killed half-way may go now, one
        // whose upload was killed after its manifest was written may appear; a file that stays keeps its content.
        AssertAllowed(after, allowed, "after the sweep", log);
        Assert.All(after, v => Assert.True(!visible.TryGetValue(v.Key, out var before) || v.Value.AsSpan().SequenceEqual(before), $"{v.Key} changed in the sweep\n{log}"));
        return after;
    }

    private static void AssertAllowed(Dictionary<string, byte[]> visible, Dictionary<string, IReadOnlyList<byte[]?>> allowed, string when, string log)
    {
        foreach (var (path, options) in allowed)
        {
            var ok = visible.TryGetValue(path, out var bytes) ? options.Any(o => o is not null && o.AsSpan().SequenceEqual(bytes)) : options.Contains(null);
            Assert.True(ok, $"{when}: {path} is {(bytes is null ? "absent" : $"{bytes.Length} bytes")}, which is neither its old nor its new content\n{log}");
        }

        Assert.DoesNotContain(visible.Keys, p => !allowed.ContainsKey(p));
    }
}
