using RclonePool.Tests.Integration.Faults;

namespace RclonePool.Tests.Integration.Index;

/// <summary>
/// SIGKILL of the CLI at seeded points during packed directory uploads and during 'index rebuild' (pack compaction).
/// After each kill the index is rebuilt from the remotes alone: every file uploaded before reads back bit-exact, a file
/// of the killed upload is whole or absent, a deleted file stays deleted, and verify finds every chunk the current
/// manifests (single or packed) name.
/// </summary>
public sealed class ManifestPackCrashTests
{
    private const int Seed = 20261207;
    private const int KillPoints = 8;

    [Fact]
    public async Task Killing_packed_uploads_and_compactions_loses_nothing_and_undoes_no_delete()
    {
        await using var pool = await FaultPool.CreateAsync(local: 3, configure: c =>
        {
            c["manifest_packing"] = true;
            c["redundancy_mode"] = "replication";
            c["replication_factor"] = 2;
        });
        var random = new Random(Seed);
        var model = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var kills = 0;
        var log = new List<string>();
        for (var attempt = 0; kills < KillPoints && attempt < 24; attempt++)
        {
            var allowed = model.ToDictionary(p => p.Key, p => (IReadOnlyList<byte[]?>)[p.Value], StringComparer.Ordinal);
            string[] arguments;
            int changes;
            string description;
            if (attempt % 2 == 0)
            {
                var tree = await ManifestPackTests.WriteTreeAsync(pool, $"t{attempt}", 24, seed: Seed + attempt);
                foreach (var (path, bytes) in tree)
                {
                    allowed[$"/u{attempt}/{path[3..]}"] = [null, bytes];
                }

                arguments = ["upload", "--parallel", pool.Local($"t{attempt}"), $"/u{attempt}"];
                (description, changes) = ($"upload of 24 files to /u{attempt}", 24 * 2);
            }
            else
            {
                // Work for the compaction: a few deletes (not killed) leave tombstones and superseded records.
                foreach (var path in model.Keys.Order(StringComparer.Ordinal).Where((_, i) => i % 7 == attempt % 7).Take(3).ToList())
                {
                    await pool.OkAsync("delete", path);
                    model.Remove(path);
                    allowed.Remove(path);
                }

                arguments = ["index", "rebuild"];
                (description, changes) = ("index rebuild (compaction)", 2 * pool.Remotes.Sum(r => ManifestPackTests.ManifestObjects(r.Directory).Count(ManifestPackTests.IsPack)));
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

    [Fact]
    public async Task Killing_index_compact_while_it_folds_single_manifests_loses_nothing_and_undoes_no_delete()
    {
        await using var pool = await FaultPool.CreateAsync(local: 3, configure: c =>
        {
            c["manifest_packing"] = false;
            c["redundancy_mode"] = "replication";
            c["replication_factor"] = 2;
        });
        var random = new Random(Seed + 1);
        var model = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var kills = 0;
        var log = new List<string>();
        for (var attempt = 0; kills < KillPoints / 2 && attempt < 12; attempt++)
        {
            // Single manifests (packing off) and packs (on), a few deletes, then a compaction killed part-way.
            var packed = attempt % 2 == 1;
            await ManifestCompactionTests.SetPackingAsync(pool, packed);
            var allowed = model.ToDictionary(p => p.Key, p => (IReadOnlyList<byte[]?>)[p.Value], StringComparer.Ordinal);
            foreach (var (path, bytes) in await ManifestPackTests.WriteTreeAsync(pool, $"t{attempt}", 12, seed: Seed + attempt))
            {
                allowed[$"/u{attempt}/{path[3..]}"] = [bytes];
            }

            await pool.OkAsync("upload", "--parallel", pool.Local($"t{attempt}"), $"/u{attempt}");
            foreach (var path in allowed.Keys.Order(StringComparer.Ordinal).Where((_, i) => i % 5 == attempt % 5).Take(2).ToList())
            {
                await pool.OkAsync("delete", path);
                allowed.Remove(path);
            }

            await ManifestCompactionTests.SetPackingAsync(pool, true);
            var objects = pool.Remotes.Sum(r => ManifestPackTests.ManifestObjects(r.Directory).Count);
            var killAfter = random.Next(1, Math.Max(2, objects) + 1);
            var run = await KillableRun.RunAsync(pool, killAfter, "index", "compact");
            kills += run.Killed ? 1 : 0;
            log.Add($"{attempt}: index compact over {objects} manifest objects, kill after {killAfter} changes: {(run.Killed ? "killed" : $"finished first (exit {run.ExitCode})")}");
            model = await CheckAsync(pool, allowed, string.Join("\n", log));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", log));
        Assert.True(kills >= KillPoints / 2, $"only {kills} kills landed inside a compaction:\n{string.Join("\n", log)}");
    }

    private static async Task<Dictionary<string, byte[]>> CheckAsync(FaultPool pool, Dictionary<string, IReadOnlyList<byte[]?>> allowed, string log)
    {
        // From the remotes alone: the index is thrown away and rebuilt.
        Directory.Delete(Path.Combine(pool.Root, "cache"), recursive: true);
        var rebuild = await pool.RunAsync("index", "rebuild");
        Assert.True(rebuild.ExitCode == 0, $"{rebuild}\n{log}");
        var visible = await ManifestPackTests.DownloadAsync(pool);
        foreach (var (path, options) in allowed)
        {
            var ok = visible.TryGetValue(path, out var bytes) ? options.Any(o => o is not null && o.AsSpan().SequenceEqual(bytes)) : options.Contains(null);
            Assert.True(ok, $"{path}: {(bytes is null ? "missing" : "wrong content")}\n{log}");
        }

        Assert.All(visible.Keys, path => Assert.True(allowed.ContainsKey(path), $"{path} appeared (a deleted file came back?)\n{log}"));
        var verify = await pool.RunAsync("verify", "--quick");
        Assert.True(verify.ExitCode == 0, $"{verify}\n{log}");
        return visible;
    }
}
