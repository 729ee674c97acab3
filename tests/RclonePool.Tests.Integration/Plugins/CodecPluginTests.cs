using System.Text;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Plugins;

/// <summary>
/// Compression, encryption and transformer plugins as block codecs, through the real CLI on local remotes and real
/// rclone: what they store is not the plain bytes, reads give back exact bytes, the manifest names the plugins and their
/// versions, a file is read with the codecs its manifest names (a missing plugin is a clear error, exit code 8; a file
/// stored without plugins reads raw with them on), and verify, rebuild and rebalance work on the stored bytes.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CodecPluginTests
{
    private const string Deflate = "compression:deflate";
    private const string Aes = "encryption:aesgcm";
    private const string Xor = "transformer:xor";

    [Fact]
    public async Task Compressed_and_encrypted_files_store_no_plain_bytes_read_back_exactly_and_need_their_plugins()
    {
        await using var pool = await CreateAsync(c => c["enabled_plugins"] = new JsonArray(Deflate, Aes));
        var text = Text(700_000);
        await pool.OkAsync("upload", Local(pool, "t.txt", text), "/t.txt");

        var manifest = Manifest(pool, "/t.txt");
        Assert.Equal(5, manifest["format_version"]!.GetValue<int>());
        Assert.Equal("compression:deflate,encryption:aesgcm", manifest["chunks"]![0]!["codec"]!.GetValue<string>());
        Assert.Equal(
            $"{Deflate} 1.2.0, {Aes} 2.0.1",
            string.Join(", ", manifest["plugins"]!.AsArray().Select(p => $"{p!["id"]} {p["version"]}")));
        var stored = ChunkFiles(pool).Select(File.ReadAllBytes).ToList();
        Assert.Equal(3, stored.Count);
        Assert.True(stored.Sum(s => s.Length) < text.Length / 2, $"compressed: {stored.Sum(s => s.Length)} bytes stored for {text.Length}");
        Assert.DoesNotContain(stored, s => Contains(s, text.AsSpan(300_000, 32)) || Contains(s, "the quick brown fox"u8));

        Assert.Equal(text, (await pool.OkAsync("cat", "/t.txt")).StdOutBytes);
        Assert.Equal(text.AsSpan(262_000, 5_000).ToArray(), (await pool.OkAsync("cat", "/t.txt", "--offset", "262000", "--count", "5000")).StdOutBytes);
        await pool.OkAsync("verify", "/t.txt");

        // A small file is not held inside its manifest (that would pass around the encryption): it is a chunk object too.
        var small = Encoding.ASCII.GetBytes("a small secret that would fit in a manifest");
        await pool.OkAsync("upload", Local(pool, "small.txt", small), "/small.txt");
        Assert.Null(Manifest(pool, "/small.txt")["chunks"]![0]!["inline"]);
        Assert.Equal(4, ChunkFiles(pool).Count());
        Assert.DoesNotContain(ChunkFiles(pool).Concat(Directory.EnumerateFiles(Path.Combine(pool.Remotes[0], "rclonepool_manifests"))), f => Contains(File.ReadAllBytes(f), "small secret"u8));
        Assert.Equal(small, (await pool.OkAsync("cat", "/small.txt")).StdOutBytes);

        await pool.OkAsync("plugins", "disable", Aes);
        var refused = await pool.RunAsync("cat", "/t.txt");
        Assert.Equal(8, refused.ExitCode);
        Assert.Empty(refused.StdOutBytes);
        Assert.Contains($"/t.txt was stored through the encryption plugin {Aes} 2.0.1, which this pool does not have in use; nothing of it was read.", refused.StdErr, StringComparison.Ordinal);
        Assert.Contains($"'rclonepool plugins enable {Aes}'", refused.StdErr, StringComparison.Ordinal);

        await pool.OkAsync("plugins", "enable", Aes);
        Assert.Equal(text, (await pool.OkAsync("cat", "/t.txt")).StdOutBytes);
    }

    [Fact]
    public async Task A_file_stored_before_a_plugin_was_enabled_reads_raw_and_the_transformer_is_recorded_per_file()
    {
        await using var pool = await CreateAsync(_ => { });
        PluginBuilds.Place(Path.Combine(pool.Root, "plugins"), PluginBuilds.Sample("XorTransformer"));
        var before = LocalPool.RandomBytes(600_000, 1);
        await pool.OkAsync("upload", Local(pool, "before.bin", before), "/before.bin");

        await pool.OkAsync("plugins", "enable", Xor);
        await pool.OkAsync("plugins", "enable", Aes);
        var after = LocalPool.RandomBytes(600_000, 2);
        await pool.OkAsync("upload", Local(pool, "after.bin", after), "/after.bin");

        Assert.Null(Manifest(pool, "/before.bin")["plugins"]);
        Assert.Null(Manifest(pool, "/before.bin")["chunks"]![0]!["codec"]);
        var recorded = Manifest(pool, "/after.bin");
        Assert.Equal("encryption:aesgcm,transformer:xor", recorded["chunks"]![0]!["codec"]!.GetValue<string>());
        Assert.Contains(recorded["plugins"]!.AsArray(), p => p!["id"]!.GetValue<string>() == Xor && p["version"]!.GetValue<string>() == "1.0.0");
        Assert.Equal(before, (await pool.OkAsync("cat", "/before.bin")).StdOutBytes);
        Assert.Equal(after, (await pool.OkAsync("cat", "/after.bin")).StdOutBytes);

        await pool.OkAsync("plugins", "disable", Xor);
        Assert.Equal(before, (await pool.OkAsync("cat", "/before.bin")).StdOutBytes);
        var refused = await pool.RunAsync("cat", "/after.bin", "--offset", "1000", "--count", "10");
        Assert.Equal(8, refused.ExitCode);
        Assert.Contains($"/after.bin was stored through the transformer plugin {Xor} 1.0.0", refused.StdErr, StringComparison.Ordinal);

        await pool.OkAsync("plugins", "enable", Xor);
        Assert.Equal(after, (await pool.OkAsync("cat", "/after.bin")).StdOutBytes);
    }

    [Fact]
    public async Task Verify_rebuild_and_rebalance_move_the_stored_bytes_of_encrypted_copies()
    {
        await using var pool = await CreateAsync(c =>
        {
            c["enabled_plugins"] = new JsonArray(Deflate, Aes, Xor);
            c["redundancy_mode"] = "replication";
            c["replication_factor"] = 2;
        }, remotes: 4);
        PluginBuilds.Place(Path.Combine(pool.Root, "plugins"), PluginBuilds.Sample("XorTransformer"));
        var text = Text(900_000);
        await pool.OkAsync("upload", Local(pool, "r.txt", text), "/r.txt");
        Assert.Equal(8, pool.ChunkFiles().Count());

        // Lose every object of the first remote: a copy of each chunk on it is written again from the other copy.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(pool.Remotes[0], "rclonepool_data"), "*", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        Assert.Equal(6, (await pool.RunAsync("verify")).ExitCode);
        Assert.Equal(text, (await pool.OkAsync("cat", "/r.txt")).StdOutBytes);
        await pool.OkAsync("rebuild");
        await pool.OkAsync("verify");
        Assert.Equal(8, pool.ChunkFiles().Count());

        // Flip a bit of one stored object: verify finds it, rebuild replaces it.
        var rotten = ChunkFiles(pool).First();
        var bytes = File.ReadAllBytes(rotten);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(rotten, bytes);
        Assert.Equal(6, (await pool.RunAsync("verify")).ExitCode);
        await pool.OkAsync("rebuild");
        await pool.OkAsync("verify");

        await pool.OkAsync("rebalance");
        await pool.OkAsync("verify");
        Assert.Equal(text, (await pool.OkAsync("cat", "/r.txt")).StdOutBytes);
    }

    private static async Task<LocalPool> CreateAsync(Action<JsonObject> configure, int remotes = 3)
    {
        var pool = await LocalPool.CreateAsync(remotes: remotes, configure: c =>
        {
            var root = Path.GetDirectoryName(c["manifest_cache_dir"]!.GetValue<string>())!;
            c["enable_plugins"] = true;
            c["plugins_dir"] = PluginBuilds.CreatePluginsDir(root);
            c["plugin_timeout"] = 5;
            c["plugin_settings"] = new JsonObject { [Aes] = new JsonObject { ["key"] = "a test key" }, [Xor] = new JsonObject { ["key"] = "xor key" } };
            configure(c);
        });
        PluginBuilds.Place(Path.Combine(pool.Root, "plugins"), PluginBuilds.Test("TestCodecs"));
        return pool;
    }

    private static IEnumerable<string> ChunkFiles(LocalPool pool) => pool.ChunkFiles().Select(f => Path.Combine(pool.Root, "remotes", f));

    private static string Local(LocalPool pool, string name, byte[] content)
    {
        var path = pool.Local(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>The current manifest of <paramref name="path"/>, as the first remote holds it.</summary>
    private static JsonObject Manifest(LocalPool pool, string path) =>
        Directory.EnumerateFiles(Path.Combine(pool.Remotes[0], "rclonepool_manifests"), "*.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject())
            .Where(m => m["path"]?.GetValue<string>() == path)
            .MaxBy(m => m["revision"]!.GetValue<long>())!;

    /// <summary>Compressible text: sentences from a small vocabulary, not a repeated block.</summary>
    private static byte[] Text(int length)
    {
        var words = new[] { "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "pool", "remote", "chunk", "stripe", "block", "manifest" };
        var random = new Random(length);
        var text = new StringBuilder(length + 16);
        while (text.Length < length)
        {
            text.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? ".\n" : " ");
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }

    private static bool Contains(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
