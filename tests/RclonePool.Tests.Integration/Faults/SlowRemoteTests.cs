using System.Diagnostics;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Remotes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// Remotes that are slow or stop answering (a loopback WebDAV server throttled or frozen while it works), and a remote
/// that stays dead across the operations of one process: transfers complete bit-exact in bounded time, a remote that
/// hangs ends in a clear error in bounded time, and a dead remote is skipped instead of waited for again and again.
/// </summary>
public sealed class SlowRemoteTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static byte[] Data(int length, int seed) => LocalPool.RandomBytes(length, seed);

    /// <summary>Two local remotes and a WebDAV one; rclone gives up on a silent connection after <paramref name="timeout"/>.</summary>
    private static async Task<(FaultPool Pool, LoopbackWebDav Dav)> PoolAsync(string timeout = "10s", Action<JsonObject>? configure = null)
    {
        var root = FaultPool.NewRoot();
        var dav = await LoopbackWebDav.StartAsync(Path.Combine(root, "remotes", "dav"));
        var pool = await FaultPool.CreateAsync(root, webdav: [dav], configure: config =>
        {
            config["rclone_flags"] = new JsonArray("--low-level-retries", "1", "--contimeout", "2s", "--timeout", timeout);
            configure?.Invoke(config);
        });
        pool.Own(dav);
        return (pool, dav);
    }

    private static async Task AssertReadsBackAsync(FaultPool pool, string poolPath, byte[] expected)
    {
        var result = await pool.RunWithinAsync(Bound, "cat", poolPath);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.StdOutBytes);
    }

    [Fact]
    public async Task A_remote_slowed_mid_upload_and_during_the_download_still_gives_the_exact_bytes_in_bounded_time()
    {
        var (pool, dav) = await PoolAsync();
        await using var _ = pool;
        var data = Data(4 << 20, 21);
        // Already slowish, so the upload is still running when it is slowed further, however busy the machine.
        await dav.LimitBandwidthAsync("2M");
        var upload = pool.RunWithinAsync(Bound, "upload", await pool.WriteLocalAsync("big", data), "/big");
        await Processes.WaitUntilAsync(() => upload.IsCompleted || pool.ChunkFilesOn(dav.Directory).Any(), Bound, "a chunk reached the WebDAV remote");
        Assert.False(upload.IsCompleted, "the upload ended before the remote could be slowed");
        await dav.LimitBandwidthAsync("1M");

        var result = await upload;
        Assert.True(result.ExitCode == 0, result.ToString());
        // Slow is not failed: the remote keeps its share of the chunks.
        Assert.Contains(pool.ManifestOf("/big").Chunks, c => c.Locations.Any(l => l.Remote == "dav1:"));

        await dav.LimitBandwidthAsync("512k");
        var clock = Stopwatch.StartNew();
        await AssertReadsBackAsync(pool, "/big", data);
        var download = await pool.RunWithinAsync(Bound, "download", "/big", pool.Local("out"));
        Assert.True(download.ExitCode == 0, download.ToString());
        Assert.Equal(data, await File.ReadAllBytesAsync(pool.Local("out")));
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(1), "the download was not slowed: the fault did not take effect");
        await pool.OkAsync("verify");
    }

    [Fact]
    public async Task A_remote_that_hangs_mid_upload_is_given_up_in_bounded_time_and_the_file_is_whole()
    {
        var (pool, dav) = await PoolAsync(timeout: "2s");
        await using var _ = pool;
        var data = Data(4 << 20, 22);
        // Slow enough that the upload is still running when the remote freezes, however busy the machine.
        await dav.LimitBandwidthAsync("1M");
        var upload = pool.RunWithinAsync(Bound, "upload", await pool.WriteLocalAsync("big", data), "/big");
        await Processes.WaitUntilAsync(() => upload.IsCompleted || pool.ChunkFilesOn(dav.Directory).Any(), Bound, "a chunk reached the WebDAV remote");
        Assert.False(upload.IsCompleted, "the upload ended before the remote could be frozen");
        dav.Freeze();

        var result = await upload;
        Assert.True(result.ExitCode == 0, result.ToString());
        dav.Thaw();
        await AssertReadsBackAsync(pool, "/big", data);
    }

    [Fact]
    public async Task A_read_from_a_remote_that_hangs_ends_in_a_clear_error_in_bounded_time()
    {
        var (pool, dav) = await PoolAsync(timeout: "2s");
        await using var _ = pool;
        var data = Data(1 << 20, 23);
        await pool.OkAsync("upload", await pool.WriteLocalAsync("f", data), "/f");
        Assert.Contains(pool.ManifestOf("/f").Chunks, c => c.Locations.Any(l => l.Remote == "dav1:"));
        dav.Freeze();

        var download = await pool.RunWithinAsync(Bound, "download", "/f", pool.Local("out"));
        Assert.Equal(5, download.ExitCode);
        Assert.Contains("dav1:", download.StdErr, StringComparison.Ordinal);
        Assert.Contains("retried", download.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(pool.Local("out")));

        var cat = await pool.RunWithinAsync(Bound, "cat", "/f");
        Assert.Equal(5, cat.ExitCode);
        Assert.True(data.AsSpan().StartsWith(cat.StdOutBytes), "cat served bytes that are not the file's");

        dav.Thaw();
        await AssertReadsBackAsync(pool, "/f", data);
    }

    [Fact]
    public async Task A_dead_remote_is_skipped_by_later_uploads_of_the_same_process_instead_of_retried_each_time()
    {
        // Backoff 0.5 s, 1 s, 2 s per call: without the probe and the circuit breaker every file below would wait that out
        // (several times over, as chunk writes are retried by the store and again by the upload) on the dead remote.
        var (pool, dav) = await PoolAsync(configure: c =>
        {
            c["retry_delay"] = 0.5;
            c["max_retries"] = 3;
        });
        await using var _ = pool;
        var directory = pool.Local("many");
        Directory.CreateDirectory(directory);
        var files = Enumerable.Range(0, 8).Select(i => (Name: $"f{i}", Data: Data(200_000, 30 + i))).ToList();
        foreach (var (name, bytes) in files)
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, name), bytes);
        }

        await dav.StopAsync();
        // The first call that meets the dead remote has it probed and skipped (no backoff waited out); later ones skip it.
        var result = await pool.RunWithinAsync(TimeSpan.FromSeconds(20), "upload", directory, "/many");

        Assert.True(result.ExitCode == 0, result.ToString());
        // It opened once: the later files did not try the dead remote long enough to open it again.
        Assert.Single(result.StdErr.Split('\n'), l => l.Contains("dav1: does not answer", StringComparison.Ordinal));
        var download = await pool.RunWithinAsync(Bound, "download", "/many", pool.Local("back"));
        Assert.True(download.ExitCode == 0, download.ToString());
        foreach (var (name, bytes) in files)
        {
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(pool.Local("back"), name)));
        }
    }
}
