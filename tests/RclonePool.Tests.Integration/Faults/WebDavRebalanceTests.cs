using System.Text.Json;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// rebalance and remote drain with a loopback <c>rclone serve webdav</c> remote among local-directory remotes, through the
/// real CLI against real rclone: objects move onto and off the WebDAV remote, every file reads back bit-exact, verify is
/// clean and nothing is left over.
/// </summary>
public sealed class WebDavRebalanceTests
{
    [Fact]
    public async Task Rebalance_onto_a_new_remote_and_a_drain_of_the_webdav_remote_keep_every_file_bit_exact()
    {
        var root = FaultPool.NewRoot();
        var dav = await LoopbackWebDav.StartAsync(Path.Combine(root, "remotes", "dav"));
        await using var pool = await FaultPool.CreateAsync(root, local: 2, webdav: [dav], chunkSize: 64 * 1024, configure: c =>
        {
            c["redundancy_mode"] = "parity";
            c["parity_data_shards"] = 2;
            c["parity_parity_shards"] = 1;
        });
        pool.Own(dav);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        Directory.CreateDirectory(pool.Local("data"));
        for (var i = 0; i < 8; i++)
        {
            files[$"f{i}.bin"] = LocalPool.RandomBytes(90_000 + (i * 47_000), 500 + i);
            await File.WriteAllBytesAsync(Path.Combine(pool.Local("data"), $"f{i}.bin"), files[$"f{i}.bin"]);
        }

        await pool.OkAsync("upload", pool.Local("data"), "/data");
        Assert.NotEmpty(pool.ChunkFilesOn(dav.Directory));
        var third = Path.Combine(root, "remotes", "r3");
        Directory.CreateDirectory(third);
        await pool.OkAsync("remote", "add", third);
        pool.Remotes.Add((third, third));

        var rebalanced = JsonDocument.Parse((await pool.OkAsync("rebalance", "--json")).StdOut).RootElement;
        Assert.True(rebalanced.GetProperty("variance_after_percent").GetDouble() <= 5.0, rebalanced.ToString());
        Assert.NotEmpty(pool.ChunkFilesOn(third));
        await AssertEveryFileReadsBackAsync(pool, files);

        var drained = await pool.OkAsync("remote", "drain", "dav1:");
        Assert.Contains("nothing of the pool is left on it", drained.StdOut, StringComparison.Ordinal);
        Assert.Empty(pool.ChunkFilesOn(dav.Directory));
        await AssertEveryFileReadsBackAsync(pool, files);
        Assert.True(JsonDocument.Parse((await pool.OkAsync("verify", "--json")).StdOut).RootElement.GetProperty("clean").GetBoolean());
        var orphans = JsonDocument.Parse((await pool.OkAsync("orphans", "--json")).StdOut).RootElement;
        Assert.Equal(0, orphans.GetProperty("orphan_count").GetInt32());
        var unreferenced = pool.ChunkFiles().Except(pool.ReferencedChunkFiles()).ToList();
        Assert.True(unreferenced.Count == 0, $"{unreferenced.Count} chunk objects no manifest names: {string.Join(", ", unreferenced.Take(5))}");
        Assert.Equal(pool.ChunkFiles().Count(), orphans.GetProperty("referenced_chunks").GetInt32());
    }

    private static async Task AssertEveryFileReadsBackAsync(FaultPool pool, Dictionary<string, byte[]> files)
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
}
