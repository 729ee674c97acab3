using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Redundancy;

/// <summary>
/// Issue 6's acceptance, through the CLI on real rclone local remotes: with 4+2 parity (or 3 copies) any two remotes
/// can vanish or rot and every file still reads bit-exact; rebuild restores full redundancy so that two more can go;
/// a third loss is a clear error, never wrong bytes.
/// </summary>
public sealed class RedundancyAcceptanceTests
{
    private const int KiB = 1024;
    private static readonly int[] Sizes = [0, 1000, 300 * KiB, 1024 * KiB, (3 * 1024 * KiB) + (512 * KiB) + 77];

    private static Task<LocalPool> CreateAsync(string mode) => LocalPool.CreateAsync(remotes: 6, chunkSize: 1024 * KiB, configure: c =>
    {
        c["redundancy_mode"] = mode;
        c["parity_data_shards"] = 4;
        c["parity_parity_shards"] = 2;
        c["replication_factor"] = 3;
    });

    private static async Task<Dictionary<string, byte[]>> UploadAsync(LocalPool pool)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var size in Sizes)
        {
            var data = LocalPool.RandomBytes(size, size + 1);
            var local = pool.Local($"in-{size}");
            await File.WriteAllBytesAsync(local, data);
            await pool.OkAsync("upload", local, $"/files/f{size}");
            files[$"/files/f{size}"] = data;
        }

        return files;
    }

    /// <summary>Every file downloads bit-exact, and a range from the middle reads right through cat.</summary>
    private static async Task AssertReadableAsync(LocalPool pool, Dictionary<string, byte[]> files)
    {
        foreach (var (path, data) in files)
        {
            var local = pool.Local("out-" + Path.GetFileName(path) + "-" + Guid.NewGuid().ToString("N")[..6]);
            await pool.OkAsync("download", path, local);
            Assert.Equal(data, await File.ReadAllBytesAsync(local));
            if (data.Length > 10)
            {
                var offset = data.Length / 3;
                var count = Math.Min(data.Length - offset, 400 * KiB);
                var cat = await pool.OkAsync("cat", path, "--offset", offset.ToString(), "--count", count.ToString());
                Assert.Equal(data.AsSpan(offset, count).ToArray(), cat.StdOutBytes);
            }
        }
    }

    private static void Vanish(LocalPool pool, int remote) => Directory.Delete(pool.Remotes[remote], recursive: true);

    /// <summary>Flips a bit in the middle of every chunk object on a remote.</summary>
    private static void Rot(LocalPool pool, int remote)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(pool.Remotes[remote], "rclonepool_data"), "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(file);
            if (bytes.Length > 0)
            {
                bytes[bytes.Length / 2] ^= 0x01;
                File.WriteAllBytes(file, bytes);
            }
        }
    }

    [Fact]
    public async Task Parity_4_2_loses_two_remotes_rebuilds_and_loses_two_others_without_losing_a_byte()
    {
        await using var pool = await CreateAsync("parity");
        var files = await UploadAsync(pool);

        Vanish(pool, 1);
        Vanish(pool, 4);
        await AssertReadableAsync(pool, files);

        var rebuild = await pool.OkAsync("rebuild");
        Assert.Contains("taken back", rebuild.StdOut, StringComparison.Ordinal);
        await pool.OkAsync("verify");
        Assert.Contains(", 0 restored", (await pool.OkAsync("rebuild")).StdOut, StringComparison.Ordinal);

        Vanish(pool, 0);
        Vanish(pool, 2);
        await AssertReadableAsync(pool, files);
    }

    [Fact]
    public async Task Replication_3_loses_two_remotes_rebuilds_and_loses_two_others()
    {
        await using var pool = await CreateAsync("replication");
        var files = await UploadAsync(pool);

        Vanish(pool, 0);
        Vanish(pool, 3);
        await AssertReadableAsync(pool, files);

        await pool.OkAsync("rebuild");
        await pool.OkAsync("verify");
        Vanish(pool, 1);
        Vanish(pool, 5);
        await AssertReadableAsync(pool, files);
    }

    [Fact]
    public async Task Bit_flipped_shards_are_read_around_found_by_verify_and_rebuilt()
    {
        await using var pool = await CreateAsync("parity");
        var files = await UploadAsync(pool);

        Rot(pool, 2);
        Rot(pool, 5);
        await AssertReadableAsync(pool, files);
        var verify = await pool.RunAsync("verify");
        Assert.Equal(6, verify.ExitCode);

        await pool.OkAsync("rebuild");
        await pool.OkAsync("verify");
        Vanish(pool, 0);
        Vanish(pool, 1);
        await AssertReadableAsync(pool, files);
    }

    [Fact]
    public async Task A_third_lost_remote_is_a_clear_error_never_wrong_bytes()
    {
        await using var pool = await CreateAsync("parity");
        var files = await UploadAsync(pool);
        var (path, data) = files.Last();

        Vanish(pool, 0);
        Vanish(pool, 2);
        Vanish(pool, 4);
        var cat = await pool.RunAsync("cat", path);

        Assert.Equal(6, cat.ExitCode);
        Assert.Contains("cannot be read", cat.StdErr, StringComparison.Ordinal);
        Assert.True(data.AsSpan().StartsWith(cat.StdOutBytes), "bytes that are not the file's were served");
        var download = await pool.RunAsync("download", path, pool.Local("lost"));
        Assert.Equal(6, download.ExitCode);
        Assert.False(File.Exists(pool.Local("lost")), "a partial download was left in place");
    }

    [Fact]
    public async Task A_pool_that_cannot_hold_the_stripe_width_is_refused_at_start()
    {
        await using var pool = await LocalPool.CreateAsync(remotes: 3, configure: c =>
        {
            c["redundancy_mode"] = "parity";
            c["parity_data_shards"] = 4;
            c["parity_parity_shards"] = 2;
        }, init: false);

        var ls = await pool.RunAsync("ls", "/");

        Assert.Equal(2, ls.ExitCode);
        Assert.Contains("needs 6 remotes", ls.StdErr, StringComparison.Ordinal);
    }
}
