using System.Security.Cryptography;
using System.Text.Json;
using RclonePool.Core.Manifests;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// SIGKILL of the CLI at seeded random points during upload, overwrite (also of duplicate content), mv and delete.
/// After each kill: every file ls shows reads back bit-exact as its old or its new content, verify finds no damaged
/// chunk, and 'orphans --delete --min-age 0' leaves the remotes with exactly the chunks the manifests name; after an
/// index rebuild, verify finds the pool intact.
/// </summary>
public sealed class CrashConsistencyTests
{
    private const int Seed = 20261125;
    private const int KillPoints = 22;
    private const int Chunk = 64 * 1024;

    private static readonly string[] ChunkDamage = ["missing", "truncated", "corrupt", "unreachable"];

    [Fact]
    public async Task Killing_the_cli_at_random_points_never_leaves_a_visible_file_that_reads_back_wrong()
    {
        await using var pool = await FaultPool.CreateAsync(local: 3, chunkSize: Chunk, configure: c => c["max_parallel_workers"] = 2);
        var random = new Random(Seed);
        var model = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            var data = Content(random);
            await pool.OkAsync("upload", await pool.WriteLocalAsync($"seed{i}", data), $"/f{i}");
            model[$"/f{i}"] = data;
        }

        var kills = 0;
        var log = new List<string>();
        for (var attempt = 0; kills < KillPoints && attempt < 60; attempt++)
        {
            var (description, arguments, allowed, changes) = await PlanAsync(pool, random, model, attempt);
            var killAfter = random.Next(1, changes + 1);
            var run = await KillableRun.RunAsync(pool, killAfter, arguments);
            kills += run.Killed ? 1 : 0;
            log.Add($"{attempt}: {description}, kill after {killAfter} of ~{changes} changes: {(run.Killed ? "killed" : $"finished first (exit {run.ExitCode})")}");
            model = await CheckAsync(pool, allowed, string.Join("\n", log), rebuild: run.Killed && kills % 4 == 0);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", log));
        Assert.True(kills >= KillPoints, $"only {kills} kills landed inside an operation:\n{string.Join("\n", log)}");
        await CheckAsync(pool, model.ToDictionary(p => p.Key, p => (IReadOnlyList<byte[]?>)[p.Value], StringComparer.Ordinal), string.Join("\n", log), rebuild: true);
    }

    private static byte[] Content(Random random)
    {
        var data = new byte[random.Next(3 * Chunk, 9 * Chunk)];
        random.NextBytes(data);
        return data;
    }

    /// <summary>One operation: its arguments, what each path may hold after it is killed, and about how many remote changes it makes.</summary>
    private static async Task<(string, string[], Dictionary<string, IReadOnlyList<byte[]?>>, int)> PlanAsync(FaultPool pool, Random random, Dictionary<string, byte[]> model, int attempt)
    {
        var allowed = model.ToDictionary(p => p.Key, p => (IReadOnlyList<byte[]?>)[p.Value], StringComparer.Ordinal);
        var existing = model.Keys.Order(StringComparer.Ordinal).ToList();
        var fresh = Enumerable.Range(0, 100).Select(i => $"/f{i}").First(p => !model.ContainsKey(p));
        var kind = existing.Count <= 2 ? 0 : attempt % 5;
        switch (kind)
        {
            case 0:
                {
                    var data = Content(random);
                    allowed[fresh] = [null, data];
                    return ($"upload {fresh}", ["upload", await pool.WriteLocalAsync($"next{attempt}", data), fresh], allowed, Chunks(data) + 4);
                }

            case 1:
                {
                    var path = existing[random.Next(existing.Count)];
                    var data = Content(random);
                    allowed[path] = [model[path], data];
                    return ($"overwrite {path}", ["upload", await pool.WriteLocalAsync($"next{attempt}", data), path], allowed, (2 * Chunks(data)) + 7);
                }

            case 2:
                {
                    var path = existing[random.Next(existing.Count)];
                    allowed[path] = [model[path], null];
                    allowed[fresh] = [null, model[path]];
                    return ($"mv {path} {fresh}", ["mv", path, fresh], allowed, 7);
                }

            case 3:
                {
                    var path = existing[random.Next(existing.Count)];
                    allowed[path] = [model[path], null];
                    return ($"delete {path}", ["delete", path], allowed, Chunks(model[path]) + 4);
                }

            default:
                {
                    // Duplicate content: the upload borrows another file's chunks (marker, then manifest).
                    var source = existing[random.Next(existing.Count)];
                    allowed[fresh] = [null, model[source]];
                    return ($"upload {fresh} as a duplicate of {source}", ["upload", await pool.WriteLocalAsync($"next{attempt}", model[source]), fresh], allowed, 8);
                }
        }
    }

    private static int Chunks(byte[] data) => (data.Length + Chunk - 1) / Chunk;

    /// <summary>Checks the pool after an operation (killed or not) and returns what each path now holds.</summary>
    private static async Task<Dictionary<string, byte[]>> CheckAsync(FaultPool pool, Dictionary<string, IReadOnlyList<byte[]?>> allowed, string log, bool rebuild)
    {
        // 1. Everything ls shows reads back (download verifies every byte) as one of the allowed contents.
        var target = pool.Local("check-" + Guid.NewGuid().ToString("N")[..8]);
        var download = await pool.RunAsync("download", "/", target);
        Assert.True(download.ExitCode == 0, $"{download}\n{log}");
        var visible = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories)
            .ToDictionary(f => "/" + Path.GetRelativePath(target, f), File.ReadAllBytes, StringComparer.Ordinal);
        AssertAllowed(visible, allowed, "ls", log);
        Directory.Delete(target, recursive: true);

        // 2. verify agrees: no chunk of any file is damaged (manifest copies torn by the kill are reported, not hidden).
        //    The download has just read every byte; --quick adds the chunks' existence and sizes on every remote.
        var verify = await pool.RunAsync("verify", "--quick", "--json");
        Assert.True(verify.ExitCode is 0 or 6, $"{verify}\n{log}");
        foreach (var damage in JsonDocument.Parse(verify.StdOut).RootElement.GetProperty("damage").EnumerateArray())
        {
            Assert.False(ChunkDamage.Contains(damage.GetProperty("kind").GetString()), $"{damage}\n{log}");
        }

        // 3. orphans --delete leaves exactly the chunks that the manifests on the remotes name.
        var orphans = await pool.RunAsync("orphans", "--delete", "--min-age", "0");
        Assert.True(orphans.ExitCode == 0, $"{orphans}\n{log}");
        Assert.Equal(pool.ReferencedChunkFiles().Order(StringComparer.Ordinal), pool.ChunkFiles().Order(StringComparer.Ordinal));

        // 4. What the remotes now say each path holds is allowed too (the index follows them).
        var current = CurrentContents(pool);
        AssertAllowed(current, allowed, "the remotes", log);
        if (rebuild)
        {
            var rebuilt = await pool.RunAsync("index", "rebuild");
            Assert.True(rebuilt.ExitCode == 0, $"{rebuilt}\n{log}");
            var clean = await pool.RunAsync("verify");
            Assert.True(clean.ExitCode == 0, $"{clean}\n{log}");
        }

        return current;
    }

    private static void AssertAllowed(Dictionary<string, byte[]> actual, Dictionary<string, IReadOnlyList<byte[]?>> allowed, string where, string log)
    {
        foreach (var (path, options) in allowed)
        {
            var ok = actual.TryGetValue(path, out var bytes)
                ? options.Any(o => o is not null && o.AsSpan().SequenceEqual(bytes))
                : options.Contains(null);
            Assert.True(ok, $"{where}: {path} is {(bytes is null ? "absent" : $"{bytes.Length} bytes")}, which is neither its old nor its new content\n{log}");
        }

        foreach (var path in actual.Keys.Where(p => !allowed.ContainsKey(p)))
        {
            Assert.Fail($"{where}: {path} appeared from nowhere\n{log}");
        }
    }

    /// <summary>Per path, the content named by the newest valid manifest revision on the remotes (identified by SHA-256).</summary>
    private static Dictionary<string, byte[]> CurrentContents(FaultPool pool)
    {
        var newest = new Dictionary<string, Manifest>(StringComparer.Ordinal);
        foreach (var (_, manifest) in pool.LiveManifests())
        {
            if (manifest.Kind == EntryKind.File && (!newest.TryGetValue(manifest.FileId, out var seen) || seen.Revision < manifest.Revision))
            {
                newest[manifest.FileId] = manifest;
            }
        }

        var known = Directory.EnumerateFiles(Path.Combine(pool.Root, "local")).Select(File.ReadAllBytes)
            .GroupBy(b => Convert.ToHexStringLower(SHA256.HashData(b))).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return newest.Values.ToDictionary(m => m.Path, m => known.TryGetValue(m.Sha256!, out var bytes) ? bytes : [], StringComparer.Ordinal);
    }
}
