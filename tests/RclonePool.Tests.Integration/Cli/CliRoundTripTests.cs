using System.Text.Json;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>The real CLI against real rclone with local-directory remotes, through both transports.</summary>
public sealed class CliRoundTripTests
{
    private const int Chunk = 256 * 1024;

    public static TheoryData<bool> Transports => new() { true, false };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Files_of_edge_sizes_with_unicode_and_spaces_round_trip_bit_exact(bool daemon)
    {
        await using var pool = await LocalPool.CreateAsync(daemon: daemon);
        var sizes = new[] { 0, 1, Chunk, Chunk + 1, (3 * Chunk) + 17 };
        foreach (var size in sizes)
        {
            var data = LocalPool.RandomBytes(size, size);
            var local = pool.Local($"in-{size}");
            await File.WriteAllBytesAsync(local, data);
            var poolPath = $"/dir with space/Ünïcödé 文件 {size}.bin";
            await pool.OkAsync("upload", local, poolPath);

            var back = pool.Local($"out-{size}");
            await pool.OkAsync("download", poolPath, back);
            Assert.Equal(data, await File.ReadAllBytesAsync(back));

            var cat = await pool.OkAsync("cat", poolPath, "--offset", "1", "--count", "100000");
            Assert.Equal(data.Skip(1).Take(100000).ToArray(), cat.StdOutBytes);
        }

        var listing = await pool.OkAsync("ls", "-l", "/dir with space");
        foreach (var size in sizes)
        {
            Assert.Contains($"Ünïcödé 文件 {size}.bin", listing.StdOut, StringComparison.Ordinal);
        }

        // One manifest per file on each of the three remotes; chunks spread over more than one remote.
        Assert.Equal(sizes.Length * 3, pool.ManifestFiles().Count());
        Assert.True(pool.ChunkFiles().Select(f => f.Split('/')[0]).Distinct().Count() > 1);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Standard_input_uploads_and_overwrite_replaces_old_chunks(bool daemon)
    {
        await using var pool = await LocalPool.CreateAsync(daemon: daemon);
        var v1 = LocalPool.RandomBytes((4 * Chunk) + 3, 1);
        var v2 = LocalPool.RandomBytes(Chunk + 5, 2);
        var up1 = await pool.RunWithInputAsync(v1, "upload", "-", "/f.bin");
        Assert.True(up1.ExitCode == 0, up1.ToString());
        Assert.Equal(5, pool.ChunkFiles().Count());

        var up2 = await pool.RunWithInputAsync(v2, "upload", "-", "/f.bin");
        Assert.True(up2.ExitCode == 0, up2.ToString());
        Assert.Equal(v2, (await pool.OkAsync("cat", "/f.bin")).StdOutBytes);
        Assert.Equal(2, pool.ChunkFiles().Count());
        Assert.Equal(3, pool.ManifestFiles().Count());
    }

    [Fact]
    public async Task A_directory_uploads_recursively_and_downloads_back_with_empty_directories()
    {
        await using var pool = await LocalPool.CreateAsync();
        var tree = pool.Local("tree");
        Directory.CreateDirectory(Path.Combine(tree, "a", "b"));
        Directory.CreateDirectory(Path.Combine(tree, "empty"));
        await File.WriteAllBytesAsync(Path.Combine(tree, "top.txt"), LocalPool.RandomBytes(10, 1));
        await File.WriteAllBytesAsync(Path.Combine(tree, "a", "b", "deep.bin"), LocalPool.RandomBytes((2 * Chunk) + 9, 2));

        await pool.OkAsync("upload", tree, "/backup");
        var json = await pool.OkAsync("ls", "-R", "--json", "/backup");
        var paths = JsonDocument.Parse(json.StdOut).RootElement.EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        Assert.Contains("/backup/empty", paths);
        Assert.Contains("/backup/a/b/deep.bin", paths);

        var restore = pool.Local("restore");
        Directory.CreateDirectory(restore);
        await pool.OkAsync("download", "/backup", restore);
        Assert.True(Directory.Exists(Path.Combine(restore, "backup", "empty")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(tree, "a", "b", "deep.bin")), await File.ReadAllBytesAsync(Path.Combine(restore, "backup", "a", "b", "deep.bin")));
    }

    [Fact]
    public async Task Mv_rewrites_manifests_only_and_delete_leaves_nothing_behind()
    {
        await using var pool = await LocalPool.CreateAsync();
        var data = LocalPool.RandomBytes((3 * Chunk) + 1, 3);
        await File.WriteAllBytesAsync(pool.Local("f"), data);
        await pool.OkAsync("upload", pool.Local("f"), "/old/name.bin");
        var chunks = pool.ChunkFiles().ToList();

        await pool.OkAsync("mv", "/old/name.bin", "/new/place.bin");
        Assert.Equal(chunks, pool.ChunkFiles().ToList());
        Assert.Equal(3, pool.RemoteFiles().Keys.Count(k => k.Contains("rclonepool_manifests", StringComparison.Ordinal)));
        Assert.Equal(3, (await pool.RunAsync("cat", "/old/name.bin")).ExitCode);
        Assert.Equal(data, (await pool.OkAsync("cat", "/new/place.bin")).StdOutBytes);

        await pool.OkAsync("delete", "-r", "/new");
        Assert.Empty(pool.ChunkFiles());
        Assert.DoesNotContain("place.bin", (await pool.OkAsync("ls", "-R", "/")).StdOut, StringComparison.Ordinal);

        // With manifest_packing (the default) a delete leaves a tombstone on every remote, naming no path and no chunk, so
        // that no rebuild from the remotes brings the file back; the next compaction drops it and nothing is left.
        Assert.All(pool.ManifestFiles(), m => Assert.DoesNotContain("place.bin", File.ReadAllText(Path.Combine(pool.Root, "remotes", m)), StringComparison.Ordinal));
        Directory.Delete(pool.CacheDir, recursive: true);
        await pool.OkAsync("index", "rebuild");
        Assert.DoesNotContain("place.bin", (await pool.OkAsync("ls", "-R", "/")).StdOut, StringComparison.Ordinal);
        await pool.OkAsync("index", "compact");
        Assert.Empty(pool.ManifestFiles());
    }

    [Fact]
    public async Task The_index_is_rebuilt_from_the_remotes_when_the_cache_is_deleted()
    {
        await using var pool = await LocalPool.CreateAsync();
        var data = LocalPool.RandomBytes(Chunk + 100, 4);
        await File.WriteAllBytesAsync(pool.Local("f"), data);
        await pool.OkAsync("upload", pool.Local("f"), "/keep/f.bin");

        Directory.Delete(pool.CacheDir, recursive: true);
        Assert.Contains("f.bin", (await pool.OkAsync("ls", "/keep")).StdOut, StringComparison.Ordinal);

        var rebuild = await pool.OkAsync("index", "rebuild");
        Assert.Contains("1 entries", rebuild.StdOut, StringComparison.Ordinal);
        Assert.Equal(data, (await pool.OkAsync("cat", "/keep/f.bin")).StdOutBytes);

        var info = await pool.OkAsync("info", "--json", "/keep/f.bin");
        Assert.Equal("/keep/f.bin", JsonDocument.Parse(info.StdOut).RootElement.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Memory_stays_bounded_while_uploading_a_large_file()
    {
        await using var pool = await LocalPool.CreateAsync(remotes: 4, chunkSize: 32L * 1024 * 1024, configure: c => c["max_parallel_workers"] = 4);
        var source = pool.Local("big.bin");
        await using (var file = File.Create(source))
        {
            var block = LocalPool.RandomBytes(1 << 20, 5);
            for (var i = 0; i < 384; i++)
            {
                block[0] = (byte)i;
                await file.WriteAsync(block);
            }
        }

        var result = await CliRunner.RunAsync(["--config", pool.ConfigPath, "upload", source, "/big.bin"], environment: new Dictionary<string, string> { ["RCLONEPOOL_REPORT_PEAK_RSS"] = "1" });
        Assert.True(result.ExitCode == 0, result.ToString());
        var peak = long.Parse(result.StdErr.Split('\n').Single(l => l.StartsWith("peak_rss_bytes=", StringComparison.Ordinal))["peak_rss_bytes=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(peak < 300L * 1024 * 1024, $"peak resident memory {peak >> 20} MiB");
    }
}
