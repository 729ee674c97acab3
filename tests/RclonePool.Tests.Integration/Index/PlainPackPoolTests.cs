using System.Text.Json.Nodes;
using RclonePool.Core.Manifests;
using RclonePool.Tests.Integration.Faults;
using static RclonePool.Tests.Integration.Index.ManifestPackTests;

namespace RclonePool.Tests.Integration.Index;

/// <summary>
/// Compressed manifest packs (<c>pack-&lt;id&gt;.jsonl.zst</c>, pool format 3) beside the plain packs an rclonepool
/// before them wrote (<c>pack-&lt;id&gt;.jsonl</c>, pool format 2), with the real CLI over local-directory remotes: a pool
/// of plain packs reads everywhere (the loader of an empty index, download, verify, orphans), and the next rebuild or
/// compaction writes its records into compressed packs and raises the pool format.
/// </summary>
public sealed class PlainPackPoolTests
{
    [Fact]
    public async Task A_pool_of_plain_packs_reads_everywhere_and_is_compressed_by_the_next_compaction()
    {
        await using var pool = await FaultPool.CreateAsync(local: 3, configure: c =>
        {
            c["manifest_packing"] = true;
            c["redundancy_mode"] = "replication";
            c["replication_factor"] = 2;
        });
        var model = await WriteTreeAsync(pool, "tree", 60);
        await pool.OkAsync("upload", "--parallel", pool.Local("tree"), "/d");
        var deleted = model.Keys.Order(StringComparer.Ordinal).First();
        await pool.OkAsync("delete", deleted);
        model.Remove(deleted);

        // What this rclonepool writes: compressed packs, pool format 3.
        foreach (var (_, directory) in pool.Remotes)
        {
            var packs = ManifestObjects(directory).Where(IsPack).ToList();
            Assert.NotEmpty(packs);
            Assert.All(packs, p => Assert.True(ManifestNames.IsCompressedPackName(Path.GetFileName(p)), p));
            Assert.Equal(PoolDescriptor.CompressedPacksFormatVersion, DescriptorFormat(directory));
        }

        // The pool as an rclonepool before compressed packs left it: the same records as plain JSON lines, format 2.
        var poolId = PoolId(pool);
        var plainPacks = 0;
        foreach (var (_, directory) in pool.Remotes)
        {
            foreach (var file in ManifestObjects(directory).Where(IsPack))
            {
                var records = ManifestPack.Parse(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken), poolId, file);
                var id = Path.GetFileName(file)["pack-".Length..][..32];
                var plain = ManifestPack.SerializePlain(poolId, [.. records.Select(r => (ReadOnlyMemory<byte>)r.Bytes)], DateTimeOffset.UtcNow);
                await File.WriteAllBytesAsync(Path.Combine(Path.GetDirectoryName(file)!, ManifestNames.PlainPackName(id)), plain, TestContext.Current.CancellationToken);
                File.Delete(file);
                plainPacks++;
            }

            SetDescriptorFormat(directory, PoolDescriptor.PackedFormatVersion);
        }

        Assert.True(plainPacks >= pool.Remotes.Count);
        Assert.DoesNotContain(pool.Remotes.SelectMany(r => ManifestObjects(r.Directory)), f => ManifestNames.IsCompressedPackName(Path.GetFileName(f)));

        // Read by this rclonepool: an empty index loads from the plain packs; the deleted file stays deleted; verify is
        // clean; orphans removes nothing a plain pack names.
        Directory.Delete(Path.Combine(pool.Root, "cache"), recursive: true);
        Assert.Equal(model.OrderBy(p => p.Key, StringComparer.Ordinal), (await DownloadAsync(pool)).OrderBy(p => p.Key, StringComparer.Ordinal), new ContentComparer());
        var verify = await pool.RunAsync("verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        await pool.OkAsync("orphans", "--delete", "--min-age", "0");
        Assert.Equal(model.OrderBy(p => p.Key, StringComparer.Ordinal), (await DownloadAsync(pool)).OrderBy(p => p.Key, StringComparer.Ordinal), new ContentComparer());
        Assert.Equal(pool.ReferencedChunkFiles().Order(StringComparer.Ordinal), pool.ChunkFiles().Order(StringComparer.Ordinal));
        Assert.All(pool.Remotes, r => Assert.Equal(PoolDescriptor.PackedFormatVersion, DescriptorFormat(r.Directory))); // reading changes nothing

        // A rebuild from the remotes alone rewrites every pack, compressed; the pool format goes to 3 first.
        Directory.Delete(Path.Combine(pool.Root, "cache"), recursive: true);
        await pool.OkAsync("index", "rebuild");
        foreach (var (_, directory) in pool.Remotes)
        {
            var manifests = ManifestObjects(directory);
            var pack = Assert.Single(manifests);
            Assert.True(ManifestNames.IsCompressedPackName(Path.GetFileName(pack)), pack);
            Assert.Equal(model.Count + 1, ManifestPack.Parse(await File.ReadAllBytesAsync(pack, TestContext.Current.CancellationToken), poolId, pack).Count(r => !r.IsTombstone)); // the files and /d
            Assert.Equal(PoolDescriptor.CompressedPacksFormatVersion, DescriptorFormat(directory));
        }

        Assert.Equal(model.OrderBy(p => p.Key, StringComparer.Ordinal), (await DownloadAsync(pool)).OrderBy(p => p.Key, StringComparer.Ordinal), new ContentComparer());
        verify = await pool.RunAsync("verify");
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public async Task Plain_and_compressed_packs_mix_and_index_compact_folds_the_plain_ones_into_compressed_packs()
    {
        await using var pool = await FaultPool.CreateAsync(local: 2, configure: c => c["manifest_packing"] = true);
        var model = await WriteTreeAsync(pool, "old", 30);
        await pool.OkAsync("upload", "--parallel", pool.Local("old"), "/d");

        // The first upload's packs made plain (an older rclonepool wrote them), then more files in compressed packs.
        var poolId = PoolId(pool);
        foreach (var (_, directory) in pool.Remotes)
        {
            foreach (var file in ManifestObjects(directory).Where(IsPack))
            {
                var records = ManifestPack.Parse(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken), poolId, file);
                var plain = ManifestPack.SerializePlain(poolId, [.. records.Select(r => (ReadOnlyMemory<byte>)r.Bytes)], DateTimeOffset.UtcNow);
                await File.WriteAllBytesAsync(Path.Combine(Path.GetDirectoryName(file)!, ManifestNames.PlainPackName(ManifestNames.NewId())), plain, TestContext.Current.CancellationToken);
                File.Delete(file);
            }

            SetDescriptorFormat(directory, PoolDescriptor.PackedFormatVersion);
        }

        foreach (var (path, bytes) in await WriteTreeAsync(pool, "new", 30, seed: 3))
        {
            model["/new/" + path[3..]] = bytes;
        }

        await pool.OkAsync("upload", "--parallel", pool.Local("new"), "/new");
        foreach (var (_, directory) in pool.Remotes)
        {
            var names = ManifestObjects(directory).Select(Path.GetFileName).ToList();
            Assert.Contains(names, n => ManifestNames.IsCompressedPackName(n!));
            Assert.Contains(names, n => ManifestNames.IsPackName(n!) && !ManifestNames.IsCompressedPackName(n!));
            Assert.Equal(PoolDescriptor.CompressedPacksFormatVersion, DescriptorFormat(directory)); // raised by the first compressed pack
        }

        Directory.Delete(Path.Combine(pool.Root, "cache"), recursive: true);
        Assert.Equal(model.OrderBy(p => p.Key, StringComparer.Ordinal), (await DownloadAsync(pool)).OrderBy(p => p.Key, StringComparer.Ordinal), new ContentComparer());

        await pool.OkAsync("index", "compact", "--full");
        foreach (var (_, directory) in pool.Remotes)
        {
            var pack = Assert.Single(ManifestObjects(directory));
            Assert.True(ManifestNames.IsCompressedPackName(Path.GetFileName(pack)), pack);
        }

        Directory.Delete(Path.Combine(pool.Root, "cache"), recursive: true);
        Assert.Equal(model.OrderBy(p => p.Key, StringComparer.Ordinal), (await DownloadAsync(pool)).OrderBy(p => p.Key, StringComparer.Ordinal), new ContentComparer());
    }

    private static int DescriptorFormat(string directory) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(directory, ManifestNames.DescriptorName)))!["format_version"]!.GetValue<int>();

    private static void SetDescriptorFormat(string directory, int format)
    {
        var path = Path.Combine(directory, ManifestNames.DescriptorName);
        var descriptor = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        descriptor["format_version"] = format;
        File.WriteAllText(path, descriptor.ToJsonString());
    }
}
