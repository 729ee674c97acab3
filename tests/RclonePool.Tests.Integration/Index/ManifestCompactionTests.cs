using System.Text.Json.Nodes;
using RclonePool.Core.Jobs;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Integration.Faults;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Index;

/// <summary>
/// Compaction outside 'index rebuild' (<c>index compact</c>, serve's automatic compaction) over real rclone and
/// local-directory remotes: single manifests fold into the pack, the pool rebuilds from the remotes alone afterwards,
/// and a compaction running beside uploads, overwrites and deletes of the same process loses nothing and brings nothing back.
/// </summary>
public sealed class ManifestCompactionTests
{
    [Fact]
    public async Task Index_compact_folds_single_manifests_into_one_pack_per_remote_and_the_pool_rebuilds_from_it()
    {
        await using var pool = await FaultPool.CreateAsync(local: 3, configure: c =>
        {
            c["manifest_packing"] = false;
            c["redundancy_mode"] = "replication";
            c["replication_factor"] = 2;
        });

        // Single manifests first (packing off), then packs, then lone writes (one file each: single objects again).
        var model = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, bytes) in await ManifestPackTests.WriteTreeAsync(pool, "singles", 30))
        {
            model["/s/" + path[3..]] = bytes;
        }

        await pool.OkAsync("upload", "--parallel", pool.Local("singles"), "/s");
        await SetPackingAsync(pool, true);
        foreach (var (path, bytes) in await ManifestPackTests.WriteTreeAsync(pool, "packed", 30, seed: 5))
        {
            model["/p/" + path[3..]] = bytes;
        }

        await pool.OkAsync("upload", "--parallel", pool.Local("packed"), "/p");
        var replacement = await pool.WriteLocalAsync("replacement", [.. Enumerable.Range(0, 5000).Select(i => (byte)(i * 7))]);
        foreach (var path in (string[])["/s/f001", "/p/f002"])
        {
            await pool.OkAsync("upload", replacement, path);
            model[path] = await File.ReadAllBytesAsync(replacement, TestContext.Current.CancellationToken);
        }

        foreach (var path in (string[])["/s/f003", "/p/f004"])
        {
            await pool.OkAsync("delete", path);
            model.Remove(path);
        }

        Assert.All(pool.Remotes, r => Assert.Contains(ManifestPackTests.ManifestObjects(r.Directory), f => !ManifestPackTests.IsPack(f)));

        var compact = await pool.OkAsync("index", "compact");
        Assert.Contains("folded in", compact.StdOut, StringComparison.Ordinal);
        foreach (var (_, directory) in pool.Remotes)
        {
            var manifests = ManifestPackTests.ManifestObjects(directory);
            Assert.True(manifests.Count == 1 && ManifestPackTests.IsPack(manifests[0]), $"{directory}: {string.Join(", ", manifests.Select(Path.GetFileName))}\n{compact}");
        }

        // From the remotes alone: bit-exact, and nothing deleted comes back.
        Directory.Delete(Path.Combine(pool.Root, "cache"), recursive: true);
        await pool.OkAsync("index", "rebuild");
        AssertSame(model, await ManifestPackTests.DownloadAsync(pool));

        // Orphans keeps exactly what the (packed) manifests name.
        await pool.OkAsync("orphans", "--delete", "--min-age", "0");
        Assert.Equal(ManifestPackTests.ReferencedChunkFiles(pool).Order(StringComparer.Ordinal), pool.ChunkFiles().Order(StringComparer.Ordinal));
        AssertSame(model, await ManifestPackTests.DownloadAsync(pool));
        var verify = await pool.RunAsync("verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public async Task Compaction_beside_uploads_overwrites_and_deletes_of_the_same_process_loses_nothing()
    {
        await using var real = await RealPool.OpenAsync(remotes: 3, chunkSize: 16 * 1024, configure: c => c.ManifestPacking = true);
        var pool = real.Pool;
        var ct = TestContext.Current.CancellationToken;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var compactions = 0;
        var compacting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await new ManifestCompactor(pool).CompactAsync(full: compactions % 2 == 1, CancellationToken.None);
                Assert.Empty(result.Problems);
                compactions++;
            }
        }, CancellationToken.None);

        var models = await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            var random = new Random(1000 + worker);
            var model = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            for (var op = 0; op < 60; op++)
            {
                var path = $"/w{worker}/f{random.Next(20):00}";
                if (model.ContainsKey(path) && random.Next(4) == 0)
                {
                    await pool.DeleteAsync(PoolPath.Parse(path), recursive: false, ct);
                    model.Remove(path);
                    continue;
                }

                var data = new byte[random.Next(100, 40 * 1024)];
                random.NextBytes(data);
                using var content = new MemoryStream(data);
                await pool.PutAsync(PoolPath.Parse(path), content, data.Length, PutOptions.Default, ct);
                model[path] = data;
            }

            return model;
        }, ct)));
        await stop.CancelAsync();
        await compacting;
        Assert.True(compactions >= 2, $"only {compactions} compactions ran beside the writes");

        var expected = models.SelectMany(m => m).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        AssertSame(expected, await ReadAllAsync(pool, ct));

        // From the remotes alone, after one more compaction: the same files, bit-exact, and no deleted one back.
        await new ManifestCompactor(pool).CompactAsync(full: true, ct);
        var rebuild = await new IndexRebuilder(pool).RebuildAsync(ct);
        Assert.Empty(rebuild.Problems);
        AssertSame(expected, await ReadAllAsync(pool, ct));
    }

    [Fact]
    public async Task A_revision_the_index_does_not_hold_yet_is_neither_folded_nor_allowed_to_supersede()
    {
        await using var real = await RealPool.OpenAsync(remotes: 2, configure: c => c.ManifestPacking = true);
        var pool = real.Pool;
        var ct = TestContext.Current.CancellationToken;
        var data = new byte[3000];
        new Random(3).NextBytes(data);
        await pool.PutAsync(PoolPath.Parse("/a"), new MemoryStream(data), data.Length, PutOptions.Default, ct);
        var committed = (await pool.GetManifestAsync(PoolPath.Parse("/a"), ct))!;

        // An overwrite in flight: its manifest is on the remotes, the index does not hold it yet.
        var inFlight = committed with { Revision = committed.Revision + 1 };
        var context = pool.Context;
        foreach (var remote in context.Remotes)
        {
            await context.Store.WriteBytesAsync(context.Layout.Manifest(remote, inFlight.ObjectName), ManifestSerializer.Serialize(inFlight), ct);
        }

        var result = await new ManifestCompactor(pool).CompactAsync(full: true, ct);
        Assert.Empty(result.Problems);
        foreach (var remote in context.Remotes)
        {
            Assert.NotNull(await context.Store.TryReadBytesAsync(context.Layout.Manifest(remote, inFlight.ObjectName), ct));
        }

        // The write fails and takes its copies back: the committed revision must still be there for a rebuild.
        Assert.True(await context.Manifests.DeleteRevisionAsync(inFlight.FileId, inFlight.Revision, ct));
        await new IndexRebuilder(pool).RebuildAsync(ct);
        var back = await pool.GetManifestAsync(PoolPath.Parse("/a"), ct);
        Assert.Equal(committed.Revision, back?.Revision);
        AssertSame(new Dictionary<string, byte[]> { ["/a"] = data }, await ReadAllAsync(pool, ct));
    }

    internal static async Task SetPackingAsync(FaultPool pool, bool on)
    {
        var config = JsonNode.Parse(await File.ReadAllTextAsync(pool.ConfigPath))!.AsObject();
        config["manifest_packing"] = on;
        await File.WriteAllTextAsync(pool.ConfigPath, config.ToJsonString());
    }

    private static async Task<Dictionary<string, byte[]>> ReadAllAsync(StoragePool pool, CancellationToken ct)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await foreach (var entry in pool.ListAsync(PoolPath.Root, recursive: true, ct))
        {
            if (entry.Kind == EntryKind.File)
            {
                await using var stream = await pool.OpenDownloadAsync(entry.Path, ct);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, ct);
                files[entry.Path.ToString()] = copy.ToArray();
            }
        }

        return files;
    }

    private static void AssertSame(Dictionary<string, byte[]> expected, Dictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, p => Assert.True(p.Value.AsSpan().SequenceEqual(actual[p.Key]), $"{p.Key}: wrong content"));
    }
}
