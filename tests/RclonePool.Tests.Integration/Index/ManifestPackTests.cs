using System.Text.Json;
using System.Text.Json.Nodes;
using RclonePool.Core.Manifests;
using RclonePool.Tests.Integration.Faults;

namespace RclonePool.Tests.Integration.Index;

/// <summary>
/// Manifest packs (<c>manifest_packing</c>, docs/manifest-format.md) with the real CLI over local-directory remotes: a
/// directory upload costs a few pack objects per remote, the pool rebuilds from the packs alone, a delete of a packed
/// file survives every rebuild, compaction leaves one pack per remote, and 'orphans' never removes a chunk that only a
/// pack names.
/// </summary>
public sealed class ManifestPackTests
{
    private const int Files = 120;

    [Fact]
    public async Task A_packed_directory_upload_rebuilds_from_the_packs_alone_and_deletes_stay_deleted()
    {
        await using var pool = await FaultPool.CreateAsync(local: 3, configure: c =>
        {
            c["manifest_packing"] = true;
            c["redundancy_mode"] = "replication";
            c["replication_factor"] = 2;
        });
        var model = await WriteTreeAsync(pool, "tree", Files);
        await pool.OkAsync("upload", "--parallel", pool.Local("tree"), "/d");

        // Few objects: the manifests of files uploaded together share packs.
        foreach (var (_, directory) in pool.Remotes)
        {
            var manifests = ManifestObjects(directory);
            Assert.True(manifests.Any(IsPack), $"no pack on {directory}");
            Assert.True(manifests.Count < Files / 2, $"{manifests.Count} manifest objects on {directory} for {Files} files");
            Assert.Equal(PoolDescriptor.CompressedPacksFormatVersion, JsonNode.Parse(File.ReadAllText(Path.Combine(directory, ManifestNames.DescriptorName)))!["format_version"]!.GetValue<int>());
        }

        // A packed file deleted: a tombstone, which every rebuild honours.
        var deleted = model.Keys.Order(StringComparer.Ordinal).Take(5).ToList();
        foreach (var path in deleted)
        {
            await pool.OkAsync("delete", path);
            model.Remove(path);
        }

        for (var rebuild = 0; rebuild < 3; rebuild++)
        {
            Directory.Delete(Path.Combine(pool.Root, "cache"), recursive: true);
            await pool.OkAsync("index", "rebuild");
            Assert.Equal(model.OrderBy(p => p.Key, StringComparer.Ordinal), (await DownloadAsync(pool)).OrderBy(p => p.Key, StringComparer.Ordinal), new ContentComparer());
        }

        // Compacted: one pack per remote, no tombstone left once nothing it hid remains, no single manifest of a file.
        foreach (var (_, directory) in pool.Remotes)
        {
            var manifests = ManifestObjects(directory);
            Assert.Single(manifests, IsPack);
            var records = ManifestPack.Parse(File.ReadAllBytes(manifests.Single(IsPack)), PoolId(pool), "pack");
            Assert.DoesNotContain(records, r => r.IsTombstone);
            Assert.DoesNotContain(manifests, f => !IsPack(f));
            Assert.Equal(model.Count + 1, records.Count); // every file and the directory /d, once
        }

        // Orphans reads the packs: nothing a packed manifest names is removed, the deleted files' chunks are.
        var orphans = await pool.OkAsync("orphans", "--delete", "--min-age", "0", "--json");
        Assert.Equal(model.OrderBy(p => p.Key, StringComparer.Ordinal), (await DownloadAsync(pool)).OrderBy(p => p.Key, StringComparer.Ordinal), new ContentComparer());
        Assert.Equal(ReferencedChunkFiles(pool).Order(StringComparer.Ordinal), pool.ChunkFiles().Order(StringComparer.Ordinal));
        var verify = await pool.RunAsync("verify");
        Assert.True(verify.ExitCode == 0, $"{verify}\n{orphans}");
    }

    [Fact]
    public async Task A_pool_of_single_manifests_still_reads_and_is_migrated_by_index_rebuild()
    {
        await using var pool = await FaultPool.CreateAsync(local: 2, configure: c => c["manifest_packing"] = false);
        var model = await WriteTreeAsync(pool, "old", 20);
        await pool.OkAsync("upload", "--parallel", pool.Local("old"), "/old");
        Assert.DoesNotContain(pool.Remotes.SelectMany(r => ManifestObjects(r.Directory)), IsPack);

        // Packing turned on later: new uploads pack, the old single manifests still read, a rebuild keeps both.
        var config = JsonNode.Parse(await File.ReadAllTextAsync(pool.ConfigPath))!.AsObject();
        config["manifest_packing"] = true;
        await File.WriteAllTextAsync(pool.ConfigPath, config.ToJsonString());
        foreach (var (path, bytes) in await WriteTreeAsync(pool, "new", 20, seed: 7))
        {
            model[path.Replace("/d/", "/new/", StringComparison.Ordinal)] = bytes;
        }

        foreach (var key in model.Keys.Where(k => k.StartsWith("/d/", StringComparison.Ordinal)).ToList())
        {
            model["/old/" + key[3..]] = model[key];
            model.Remove(key);
        }

        await pool.OkAsync("upload", "--parallel", pool.Local("new"), "/new");
        await pool.OkAsync("delete", "/old/f000");
        model.Remove("/old/f000");
        Directory.Delete(Path.Combine(pool.Root, "cache"), recursive: true);
        await pool.OkAsync("index", "rebuild");
        Assert.Equal(model.OrderBy(p => p.Key, StringComparer.Ordinal), (await DownloadAsync(pool)).OrderBy(p => p.Key, StringComparer.Ordinal), new ContentComparer());
        Assert.All(pool.Remotes, r => Assert.Single(ManifestObjects(r.Directory), IsPack));
        Assert.All(pool.Remotes, r => Assert.DoesNotContain(ManifestObjects(r.Directory), f => !IsPack(f))); // the single manifests folded in
    }

    /// <summary>Files of 1 to 12 KiB (the small ones inline in their manifest, the others one chunk each), as /d/fNNN.</summary>
    internal static async Task<Dictionary<string, byte[]>> WriteTreeAsync(FaultPool pool, string name, int count, int seed = 19)
    {
        var random = new Random(seed + count);
        var model = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var root = pool.Local(name);
        Directory.CreateDirectory(root);
        for (var i = 0; i < count; i++)
        {
            var data = new byte[random.Next(1024, 12 * 1024)];
            random.NextBytes(data);
            await File.WriteAllBytesAsync(Path.Combine(root, $"f{i:000}"), data, TestContext.Current.CancellationToken);
            model[$"/d/f{i:000}"] = data;
        }

        return model;
    }

    /// <summary>Everything the pool shows, downloaded (every byte verified), by pool path; /d/… for the first directory.</summary>
    internal static async Task<Dictionary<string, byte[]>> DownloadAsync(FaultPool pool)
    {
        var target = pool.Local("check-" + Guid.NewGuid().ToString("N")[..8]);
        var download = await pool.RunAsync("download", "/", target);
        Assert.True(download.ExitCode == 0, download.ToString());
        var files = Directory.Exists(target)
            ? Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).ToDictionary(f => "/" + Path.GetRelativePath(target, f), File.ReadAllBytes, StringComparer.Ordinal)
            : [];
        if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        return files;
    }

    internal static List<string> ManifestObjects(string remoteDirectory)
    {
        var directory = Path.Combine(remoteDirectory, "rclonepool_manifests");
        return Directory.Exists(directory) ? [.. Directory.EnumerateFiles(directory)] : [];
    }

    internal static bool IsPack(string file) => ManifestNames.IsPackName(Path.GetFileName(file));

    internal static string PoolId(FaultPool pool) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(pool.Remotes[0].Directory, ManifestNames.DescriptorName)))!["pool_id"]!.GetValue<string>();

    /// <summary>The chunk files any manifest on the remotes names, single or packed (every revision, every readable copy).</summary>
    internal static HashSet<string> ReferencedChunkFiles(FaultPool pool)
    {
        var byName = pool.Remotes.ToDictionary(r => r.Spec, r => r.Directory, StringComparer.Ordinal);
        var poolId = PoolId(pool);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in pool.Remotes.SelectMany(r => ManifestObjects(r.Directory)))
        {
            IEnumerable<byte[]> manifests;
            try
            {
                manifests = IsPack(file)
                    ? ManifestPack.Parse(File.ReadAllBytes(file), poolId, file).Where(r => !r.IsTombstone).Select(r => r.Bytes)
                    : [File.ReadAllBytes(file)];
                foreach (var bytes in manifests)
                {
                    foreach (var location in ManifestSerializer.Deserialize(bytes, file).Chunks.SelectMany(c => c.Locations))
                    {
                        referenced.Add(Path.Combine(byName[location.Remote], location.Object));
                    }
                }
            }
            catch (Core.Errors.PoolException)
            {
            }
        }

        return referenced;
    }

    internal sealed class ContentComparer : IEqualityComparer<KeyValuePair<string, byte[]>>
    {
        public bool Equals(KeyValuePair<string, byte[]> x, KeyValuePair<string, byte[]> y) => x.Key == y.Key && x.Value.AsSpan().SequenceEqual(y.Value);

        public int GetHashCode(KeyValuePair<string, byte[]> obj) => obj.Key.GetHashCode(StringComparison.Ordinal);
    }
}
