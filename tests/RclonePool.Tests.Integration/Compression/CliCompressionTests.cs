using System.Text;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Compression;

/// <summary>
/// enable_compression through the real CLI and rclone: chunks are compressed before they reach a crypt remote, ranged
/// reads give the plain bytes, verify checks the stored form, and already-compressed content is stored as it is.
/// </summary>
public sealed class CliCompressionTests
{
    private static byte[] LogText(int size)
    {
        var random = new Random(3);
        var text = new StringBuilder(size + 100);
        while (text.Length < size)
        {
            text.Append("2026-12-06 worker-").Append(random.Next(8)).Append(" GET /api/v1/files/").Append(random.Next(1000)).Append(" 200 ok\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, size));
    }

    [Fact]
    public async Task Compressed_chunks_reach_crypt_remotes_already_small_and_read_back_exact_in_ranges()
    {
        await using var pool = await LocalPool.CreateAsync(chunkSize: 1024 * 1024, init: false);
        var environment = await CryptRemotes.WrapAsync(pool, "compression before crypt", config =>
        {
            config["enable_compression"] = true;
            config["compression_level"] = 6;
        });

        async Task<CliResult> RunAsync(params string[] args)
        {
            var result = await CliRunner.RunAsync(["--config", pool.ConfigPath, .. args], environment: environment);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result}");
            return result;
        }

        await RunAsync("init");
        var text = LogText((3 * 1024 * 1024) + 4321);
        var random = LocalPool.RandomBytes(1536 * 1024, 4);
        await File.WriteAllBytesAsync(pool.Local("app.log"), text);
        await File.WriteAllBytesAsync(pool.Local("video.bin"), random);
        await RunAsync("upload", pool.Local("app.log"), "/app.log");
        var afterText = DataBytes(pool.Root);
        await RunAsync("upload", pool.Local("video.bin"), "/video.bin");
        var afterVideo = DataBytes(pool.Root);

        // Encrypted objects of the text hold a fraction of it (crypt adds only its small per-block overhead); the
        // random file is stored at its size.
        Assert.True(afterText < text.Length / 3, $"{afterText} bytes stored for {text.Length}");
        Assert.InRange(afterVideo - afterText, random.Length, random.Length * 1.01);

        Assert.Equal(text, (await RunAsync("cat", "/app.log")).StdOutBytes);
        Assert.Equal(random, (await RunAsync("cat", "/video.bin")).StdOutBytes);
        foreach (var (offset, count) in new[] { (0, 1), (262_143, 2), (1_048_570, 70_000), (2_000_000, 65_536), (text.Length - 10, 10) })
        {
            Assert.Equal(text.AsSpan(offset, count).ToArray(), (await RunAsync("cat", "/app.log", "--offset", $"{offset}", "--count", $"{count}")).StdOutBytes);
        }

        await RunAsync("verify");
        await RunAsync("download", "/app.log", pool.Local("back.log"));
        Assert.Equal(text, await File.ReadAllBytesAsync(pool.Local("back.log")));
    }

    private static long DataBytes(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "remotes"), "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

}
