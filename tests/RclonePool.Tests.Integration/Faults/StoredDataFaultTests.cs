using System.Text;
using System.Text.Json;
using RclonePool.Core.Manifests;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// Damage to what the remotes store: flipped bits, truncated and deleted chunk objects, garbage, truncated and
/// wrong-version manifests, a missing pool descriptor. Reads refuse wrong bytes, verify names the damage, repair
/// fixes chunks from a local copy, index rebuild reconciles manifest copies, orphans leaves only referenced chunks.
/// </summary>
public sealed class StoredDataFaultTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static async Task<(FaultPool Pool, byte[] Data, string Local)> PoolWithFileAsync(int seed, int size = (6 * 64 * 1024) + 100)
    {
        var pool = await FaultPool.CreateAsync(local: 3);
        var data = LocalPool.RandomBytes(size, seed);
        var local = await pool.WriteLocalAsync("f", data);
        await pool.OkAsync("upload", local, "/d/f");
        return (pool, data, local);
    }

    private static JsonElement[] Damage(CliResult verify) =>
        [.. JsonDocument.Parse(verify.StdOut).RootElement.GetProperty("damage").EnumerateArray()];

    /// <summary>After repair: the file reads back whole, verify is clean, orphans leaves exactly what manifests name.</summary>
    private static async Task AssertHealedAsync(FaultPool pool, byte[] data)
    {
        Assert.Equal(data, (await pool.OkAsync("cat", "/d/f")).StdOutBytes);
        await pool.OkAsync("verify");
        await pool.OkAsync("orphans", "--delete", "--min-age", "0");
        Assert.Equal(pool.ReferencedChunkFiles(), pool.ChunkFiles().ToHashSet());
    }

    [Fact]
    public async Task A_flipped_bit_is_never_served_is_found_by_verify_and_repaired_from_a_local_copy()
    {
        var (pool, data, local) = await PoolWithFileAsync(1);
        await using var _ = pool;
        var chunk = pool.ManifestOf("/d/f").Chunks[2];
        var file = pool.ObjectFile(chunk.Locations[0]);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[1234] ^= 0x04;
        await File.WriteAllBytesAsync(file, bytes);

        var cat = await pool.RunWithinAsync(Bound, "cat", "/d/f");
        Assert.Equal(6, cat.ExitCode);
        Assert.Contains("Chunk 2 of /d/f", cat.StdErr, StringComparison.Ordinal);
        Assert.Contains(chunk.Locations[0].Remote, cat.StdErr, StringComparison.Ordinal);
        Assert.True(cat.StdOutBytes.Length <= chunk.Offset && data.AsSpan().StartsWith(cat.StdOutBytes), "bytes of the damaged chunk were served");

        Assert.Equal(0, (await pool.RunAsync("verify", "--quick")).ExitCode); // same size: only reading finds it
        var verify = await pool.RunWithinAsync(Bound, "verify", "--json");
        Assert.Equal(6, verify.ExitCode);
        var damage = Assert.Single(Damage(verify));
        Assert.Equal(("corrupt", "/d/f", 2), (damage.GetProperty("kind").GetString(), damage.GetProperty("path").GetString(), damage.GetProperty("chunk").GetInt32()));

        var repair = await pool.RunWithinAsync(Bound, "repair", "/d/f", local);
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains("chunk 2: corrupt", repair.StdOut, StringComparison.Ordinal);
        Assert.False(File.Exists(file), "the damaged object was not removed");
        await AssertHealedAsync(pool, data);
    }

    [Fact]
    public async Task Truncated_and_deleted_chunks_are_found_by_a_quick_verify_and_repaired()
    {
        var (pool, data, local) = await PoolWithFileAsync(2);
        await using var _ = pool;
        var manifest = pool.ManifestOf("/d/f");
        var truncated = pool.ObjectFile(manifest.Chunks[0].Locations[0]);
        var deleted = pool.ObjectFile(manifest.Chunks[4].Locations[0]);
        await File.WriteAllBytesAsync(truncated, (await File.ReadAllBytesAsync(truncated))[..1000]);
        File.Delete(deleted);

        var download = await pool.RunWithinAsync(Bound, "download", "/d/f", pool.Local("out"));
        Assert.Equal(6, download.ExitCode);
        Assert.False(File.Exists(pool.Local("out")));

        var verify = await pool.RunWithinAsync(Bound, "verify", "--quick", "--json");
        Assert.Equal(6, verify.ExitCode);
        Assert.Equal(
            [("truncated", 0), ("missing", 4)],
            Damage(verify).Select(d => (d.GetProperty("kind").GetString(), d.GetProperty("chunk").GetInt32())));

        await pool.OkAsync("repair", "/d/f", local);
        await AssertHealedAsync(pool, data);
    }

    [Fact]
    public async Task Repair_refuses_a_local_file_with_other_content_and_changes_nothing()
    {
        var (pool, data, _) = await PoolWithFileAsync(3);
        await using var __ = pool;
        File.Delete(pool.ObjectFile(pool.ManifestOf("/d/f").Chunks[1].Locations[0]));
        var other = (byte[])data.Clone();
        other[^1] ^= 1;
        var before = pool.ChunkFiles().Concat(pool.ManifestFiles()).ToHashSet();

        var repair = await pool.RunWithinAsync(Bound, "repair", "/d/f", await pool.WriteLocalAsync("other", other));

        Assert.Equal(2, repair.ExitCode);
        Assert.Contains("is not the content of /d/f", repair.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, pool.ChunkFiles().Concat(pool.ManifestFiles()).ToHashSet());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("missing")]
    public async Task A_damaged_manifest_copy_on_one_remote_is_reported_and_reconciled(string damage)
    {
        var (pool, data, _) = await PoolWithFileAsync(4);
        await using var _ = pool;
        var copy = pool.ManifestFiles().First();
        var bytes = await File.ReadAllBytesAsync(copy);
        switch (damage)
        {
            case "garbage":
                await File.WriteAllTextAsync(copy, "this is not a manifest");
                break;
            case "truncated":
                await File.WriteAllBytesAsync(copy, bytes[..(bytes.Length / 2)]);
                break;
            default:
                File.Delete(copy);
                break;
        }

        Directory.Delete(Path.Combine(pool.Root, "cache"), recursive: true); // the next command rebuilds from the remotes
        Assert.Equal(data, (await pool.OkAsync("cat", "/d/f")).StdOutBytes);
        var verify = await pool.RunWithinAsync(Bound, "verify", "--json");
        Assert.Equal(6, verify.ExitCode);
        Assert.Equal("manifest-disagreement", Assert.Single(Damage(verify)).GetProperty("kind").GetString());

        var rebuild = await pool.OkAsync("index", "rebuild");
        Assert.Contains("reconciled", rebuild.StdOut, StringComparison.Ordinal);

        // The remote holds the valid bytes again: alone, or (manifest_packing, the default) as a record of its pack.
        var copies = Directory.EnumerateFiles(Path.GetDirectoryName(copy)!).SelectMany(f => Index.ManifestPackTests.IsPack(f)
            ? Core.Manifests.ManifestPack.Parse(File.ReadAllBytes(f), Index.ManifestPackTests.PoolId(pool), f).Select(r => r.Bytes)
            : [File.ReadAllBytes(f)]);
        Assert.Contains(copies, c => c.AsSpan().SequenceEqual(bytes));
        await pool.OkAsync("verify");
    }

    [Fact]
    public async Task A_manifest_with_no_readable_copy_hides_nothing_wrong_and_blocks_orphan_deletion()
    {
        var (pool, _, _) = await PoolWithFileAsync(5);
        await using var __ = pool;
        foreach (var copy in pool.ManifestFiles())
        {
            await File.WriteAllTextAsync(copy, "{\"format\":\"rclonepool-manifest\",");
        }

        var chunks = pool.ChunkFiles().ToHashSet();
        var rebuild = await pool.RunWithinAsync(Bound, "index", "rebuild");
        Assert.Equal(6, rebuild.ExitCode);
        Assert.Contains("no readable copy", rebuild.StdOut, StringComparison.Ordinal);
        Assert.Equal(3, (await pool.RunAsync("cat", "/d/f")).ExitCode); // gone from view, never served wrong

        var orphans = await pool.RunWithinAsync(Bound, "orphans", "--delete", "--min-age", "0");
        Assert.Equal(6, orphans.ExitCode);
        Assert.Contains("nothing was removed", orphans.StdErr, StringComparison.Ordinal);
        Assert.Equal(chunks, pool.ChunkFiles().ToHashSet());
    }

    [Fact]
    public async Task A_manifest_from_a_newer_rclonepool_is_refused_with_upgrade_advice()
    {
        var (pool, _, _) = await PoolWithFileAsync(6);
        await using var __ = pool;
        foreach (var copy in pool.ManifestFiles())
        {
            var text = await File.ReadAllTextAsync(copy);
            await File.WriteAllTextAsync(copy, text.Replace("\"format_version\":1", "\"format_version\":99", StringComparison.Ordinal));
        }

        Directory.Delete(Path.Combine(pool.Root, "cache"), recursive: true);
        var ls = await pool.RunWithinAsync(Bound, "ls", "/");
        Assert.Equal(8, ls.ExitCode);
        Assert.Contains("newer rclonepool", ls.StdErr, StringComparison.Ordinal);
        Assert.Contains("upgrade", ls.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remote_without_its_pool_descriptor_is_read_around_and_written_to_only_after_init()
    {
        var (pool, data, _) = await PoolWithFileAsync(7);
        await using var __ = pool;
        File.Delete(Path.Combine(pool.Remotes[1].Directory, ManifestNames.DescriptorName));

        // ls reads the local index alone (no remote is asked); cat opens the pool, reads the descriptors and says so.
        var ls = await pool.RunWithinAsync(Bound, "ls", "/");
        Assert.Equal(0, ls.ExitCode);
        var read = await pool.OkAsync("cat", "/d/f");
        Assert.Contains("no pool descriptor", read.StdErr, StringComparison.Ordinal);
        Assert.Contains("rclonepool init", read.StdErr, StringComparison.Ordinal);
        Assert.Equal(data, read.StdOutBytes);

        await pool.OkAsync("init");
        var after = await pool.OkAsync("cat", "/d/f");
        Assert.Equal(data, after.StdOutBytes);
        Assert.DoesNotContain("no pool descriptor", after.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_temporary_file_of_an_interrupted_manifest_write_changes_nothing_until_orphans_removes_it()
    {
        var (pool, data, _) = await PoolWithFileAsync(9);
        await using var _ = pool;
        var manifest = pool.ManifestOf("/d/f");
        var directory = Path.Combine(pool.Remotes[0].Directory, "rclonepool_manifests");
        var whole = await File.ReadAllBytesAsync(Path.Combine(directory, manifest.ObjectName));
        var partial = Path.Combine(directory, manifest.ObjectName + ".0badf00d.partial");
        await File.WriteAllBytesAsync(partial, whole[..(whole.Length / 2)]); // killed halfway through a direct write

        await pool.OkAsync("index", "rebuild");
        Assert.Contains("/d/f", (await pool.OkAsync("ls", "-R", "/")).StdOut, StringComparison.Ordinal);
        Assert.Equal(data, (await pool.OkAsync("cat", "/d/f")).StdOutBytes);
        var report = JsonDocument.Parse((await pool.OkAsync("orphans", "--json")).StdOut).RootElement;
        Assert.Equal(1, report.GetProperty("orphan_count").GetInt32());
        Assert.Equal(whole.Length / 2, report.GetProperty("orphan_bytes").GetInt64());

        await pool.OkAsync("orphans", "--delete", "--min-age", "0");
        Assert.False(File.Exists(partial));

        // The remote's copy is whole: alone, or (manifest_packing, the default; index rebuild folds single manifests into a
        // pack) as a record of its pack.
        var copies = Directory.EnumerateFiles(directory).SelectMany(f => Index.ManifestPackTests.IsPack(f)
            ? ManifestPack.Parse(File.ReadAllBytes(f), Index.ManifestPackTests.PoolId(pool), f).Select(r => r.Bytes)
            : [File.ReadAllBytes(f)]);
        Assert.Contains(copies, c => c.AsSpan().SequenceEqual(whole));
        Assert.Equal(data, (await pool.OkAsync("cat", "/d/f")).StdOutBytes);
    }

    [Fact]
    public async Task Leftover_chunks_and_stale_revisions_are_removed_only_after_the_grace_period()
    {
        var (pool, data, _) = await PoolWithFileAsync(8);
        await using var _ = pool;
        var stray = Path.Combine(pool.Remotes[0].Directory, "rclonepool_data", "ee", "ee" + new string('1', 30));
        Directory.CreateDirectory(Path.GetDirectoryName(stray)!);
        await File.WriteAllBytesAsync(stray, Encoding.ASCII.GetBytes("a chunk an interrupted upload left"));

        var young = await pool.OkAsync("orphans", "--delete");
        Assert.Contains("younger than 1h", young.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(stray));

        File.SetLastWriteTimeUtc(stray, DateTime.UtcNow.AddHours(-2));
        var listed = await pool.OkAsync("orphans", "--json");
        var report = JsonDocument.Parse(listed.StdOut).RootElement;
        Assert.Equal(1, report.GetProperty("orphan_count").GetInt32());
        Assert.Equal(34, report.GetProperty("orphan_bytes").GetInt64());
        Assert.True(File.Exists(stray));

        await pool.OkAsync("orphans", "--delete");
        Assert.False(File.Exists(stray));
        Assert.Equal(data, (await pool.OkAsync("cat", "/d/f")).StdOutBytes);
    }
}
