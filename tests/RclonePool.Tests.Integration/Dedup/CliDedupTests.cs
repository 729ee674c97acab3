using System.Text.Json.Nodes;
using RclonePool.Core.Manifests;
using RclonePool.Tests.Integration.Faults;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Dedup;

/// <summary>
/// enable_deduplication through the real CLI and rclone over local directories: shared chunks are stored once, a delete
/// never takes what another file names, concurrent uploads and a delete racing an upload of the same content leave
/// every file readable, a pool with data can turn it on, and crypt remotes dedup as well.
/// </summary>
public sealed class CliDedupTests
{
    private const int Chunk = 64 * 1024;

    private static Task<FaultPool> CreateAsync(string redundancy = "replication") => FaultPool.CreateAsync(local: 3, chunkSize: Chunk, configure: c =>
    {
        c["enable_deduplication"] = true;
        c["redundancy_mode"] = redundancy;
        c["replication_factor"] = 2;
        c["parity_data_shards"] = 2;
        c["parity_parity_shards"] = 1;
    });

    /// <summary>Chunks drawn from a small library, so files share some of them.</summary>
    internal static byte[] Mix(params int[] chunks) => [.. chunks.SelectMany(c => LocalPool.RandomBytes(Chunk, 1000 + c))];

    private static async Task AssertReadsAsync(FaultPool pool, string path, byte[] expected)
    {
        var read = await pool.OkAsync("cat", path);
        Assert.True(expected.AsSpan().SequenceEqual(read.StdOutBytes), $"{path} read back {read.StdOutBytes.Length} bytes that differ from the {expected.Length} uploaded");
    }

    [Theory]
    [InlineData("replication")]
    [InlineData("parity")]
    public async Task Files_sharing_chunks_store_them_once_and_a_delete_keeps_what_the_other_names(string redundancy)
    {
        await using var pool = await CreateAsync(redundancy);
        await pool.OkAsync("upload", await pool.WriteLocalAsync("a", Mix(1, 2, 3, 4)), "/a.img");
        var perChunk = pool.ChunkFiles().Count() / 4; // two copies, or a data and a parity shard (one hash block per chunk)
        Assert.Equal((4 * perChunk, 2), (pool.ChunkFiles().Count(), perChunk));
        await pool.OkAsync("upload", await pool.WriteLocalAsync("b", Mix(1, 2, 3, 5)), "/b.img");
        Assert.Equal(5 * perChunk, pool.ChunkFiles().Count());

        await pool.OkAsync("delete", "/a.img");
        await AssertReadsAsync(pool, "/b.img", Mix(1, 2, 3, 5));
        await pool.OkAsync("orphans", "--delete", "--min-age", "0");
        Assert.Equal(4 * perChunk, pool.ChunkFiles().Count());
        Assert.Equal(pool.ReferencedChunkFiles().Order(StringComparer.Ordinal), pool.ChunkFiles().Order(StringComparer.Ordinal));
        await AssertReadsAsync(pool, "/b.img", Mix(1, 2, 3, 5));
        await pool.OkAsync("verify");
    }

    [Fact]
    public async Task Concurrent_uploads_of_the_same_content_and_a_delete_racing_an_upload_lose_nothing()
    {
        await using var pool = await CreateAsync();
        var data = Mix(1, 2, 3, 1, 2, 6);
        var local = await pool.WriteLocalAsync("same", data);
        var both = await Task.WhenAll(pool.RunAsync("upload", local, "/x.img"), pool.RunAsync("upload", local, "/y.img"));
        Assert.All(both, r => Assert.True(r.ExitCode == 0, r.ToString()));
        await AssertReadsAsync(pool, "/x.img", data);
        await AssertReadsAsync(pool, "/y.img", data);

        for (var round = 0; round < 3; round++)
        {
            var racing = await Task.WhenAll(pool.RunAsync("delete", round % 2 == 0 ? "/x.img" : "/y.img"), pool.RunAsync("upload", local, $"/z{round}.img"));
            Assert.All(racing, r => Assert.True(r.ExitCode == 0, r.ToString()));
            await pool.OkAsync("orphans", "--delete", "--min-age", "0");
            await AssertReadsAsync(pool, $"/z{round}.img", data);
            await pool.OkAsync("upload", local, round % 2 == 0 ? "/x.img" : "/y.img");
        }

        await pool.OkAsync("verify");
        Assert.Equal(pool.ReferencedChunkFiles().Order(StringComparer.Ordinal), pool.ChunkFiles().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Turning_dedup_on_for_a_pool_with_data_keeps_old_files_readable_and_dedups_new_ones()
    {
        await using var pool = await FaultPool.CreateAsync(local: 3, chunkSize: Chunk);
        await pool.OkAsync("upload", await pool.WriteLocalAsync("old", Mix(1, 2, 3)), "/old.img");
        Assert.Null(ManifestSerializer.DeserializeDescriptor(File.ReadAllBytes(Path.Combine(pool.Remotes[0].Directory, ManifestNames.DescriptorName)), "r1").DedupSecret);

        var config = JsonNode.Parse(await File.ReadAllTextAsync(pool.ConfigPath))!.AsObject();
        config["enable_deduplication"] = true;
        await File.WriteAllTextAsync(pool.ConfigPath, config.ToJsonString());
        await pool.OkAsync("upload", await pool.WriteLocalAsync("new1", Mix(1, 2, 4)), "/new1.img");
        var stored = pool.ChunkFiles().Count();
        await pool.OkAsync("upload", await pool.WriteLocalAsync("new2", Mix(1, 2, 5)), "/new2.img");

        Assert.Equal(stored + 1, pool.ChunkFiles().Count());
        Assert.All(pool.Remotes, r => Assert.NotNull(ManifestSerializer.DeserializeDescriptor(File.ReadAllBytes(Path.Combine(r.Directory, ManifestNames.DescriptorName)), r.Spec).DedupSecret));
        await AssertReadsAsync(pool, "/old.img", Mix(1, 2, 3));
        await AssertReadsAsync(pool, "/new2.img", Mix(1, 2, 5));
        await pool.OkAsync("delete", "/old.img");
        await AssertReadsAsync(pool, "/new1.img", Mix(1, 2, 4));
        await pool.OkAsync("verify");
    }

    [Fact]
    public async Task Crypt_remotes_store_shared_chunks_once()
    {
        await using var pool = await LocalPool.CreateAsync(chunkSize: Chunk, init: false);
        var environment = await CryptRemotes.WrapAsync(pool, "dedup over crypt", c => c["enable_deduplication"] = true);

        async Task<CliResult> RunAsync(params string[] args)
        {
            var result = await CliRunner.RunAsync(["--config", pool.ConfigPath, .. args], environment: environment);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result}");
            return result;
        }

        long EncryptedBytes() => pool.Remotes.Sum(r => Directory.Exists(Path.Combine(r, "encrypted"))
            ? Directory.EnumerateFiles(Path.Combine(r, "encrypted"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0);

        await RunAsync("init");
        await File.WriteAllBytesAsync(pool.Local("a"), Mix(1, 2, 3, 4));
        await File.WriteAllBytesAsync(pool.Local("b"), Mix(4, 3, 2, 9));
        await RunAsync("upload", pool.Local("a"), "/a.img");
        var afterFirst = EncryptedBytes();
        await RunAsync("upload", pool.Local("b"), "/b.img");

        // One new chunk (plus crypt's overhead) and a manifest copy per remote; without dedup it would be four chunks.
        Assert.InRange(EncryptedBytes() - afterFirst, Chunk, 2 * Chunk);
        Assert.Equal(Mix(4, 3, 2, 9), (await RunAsync("cat", "/b.img")).StdOutBytes);
        await RunAsync("delete", "/a.img");
        Assert.Equal(Mix(4, 3, 2, 9), (await RunAsync("cat", "/b.img")).StdOutBytes);
    }
}
