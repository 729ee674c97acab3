using System.Diagnostics;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Throttling;

/// <summary>
/// bandwidth_limit_upload_mbps and bandwidth_limit_download_mbps on the real pool (local remotes through rclone rcd):
/// about 10 s of transfer at the limit, the bytes that reached or left the remotes divided by the time, within 10 %.
/// Each test uses its own rate, since limiters of one rate are shared by the whole process.
/// </summary>
public sealed class BandwidthLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Uploads_to_the_remotes_keep_within_ten_percent_of_the_limit_over_ten_seconds()
    {
        const double Mbps = 8;
        var data = LocalPool.RandomBytes((int)(Mbps * 1_000_000 / 8 * 10), 1);
        await using var pool = await RealPool.OpenAsync(chunkSize: 1 << 20, configure: c => c.BandwidthLimitUploadMbps = Mbps);
        var before = RemoteBytes(pool);

        var watch = Stopwatch.StartNew();
        await pool.Pool.PutAsync(PoolPath.Parse("/big.bin"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        watch.Stop();

        var sent = RemoteBytes(pool) - before;
        var measured = sent * 8 / 1_000_000.0 / watch.Elapsed.TotalSeconds;
        TestContext.Current.TestOutputHelper?.WriteLine($"upload limit {Mbps} Mbit/s: {sent} bytes in {watch.Elapsed.TotalSeconds:0.00} s = {measured:0.00} Mbit/s ({(measured / Mbps - 1) * 100:+0.0;-0.0} %)");
        Assert.InRange(measured, Mbps * 0.9, Mbps * 1.1);
    }

    [Fact]
    public async Task Downloads_from_the_remotes_keep_within_ten_percent_of_the_limit_over_ten_seconds_and_small_reads_stay_quick()
    {
        const double Mbps = 20;
        var data = LocalPool.RandomBytes((int)(Mbps * 1_000_000 / 8 * 10), 2);
        await using var pool = await RealPool.OpenAsync(chunkSize: 1 << 20, configure: c =>
        {
            c.BandwidthLimitDownloadMbps = Mbps;
            c.EnableChunkCache = false;
            c.EnablePrefetch = false;
        });
        await pool.Pool.PutAsync(PoolPath.Parse("/big.bin"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        await pool.Pool.PutAsync(PoolPath.Parse("/small.txt"), new MemoryStream([1, 2, 3]), 3, PutOptions.Default, Ct);

        var small = Stopwatch.StartNew();
        await ReadAllAsync(pool.Pool, "/small.txt");
        small.Stop();
        var watch = Stopwatch.StartNew();
        var read = await ReadAllAsync(pool.Pool, "/big.bin");
        watch.Stop();

        var measured = read * 8 / 1_000_000.0 / watch.Elapsed.TotalSeconds;
        TestContext.Current.TestOutputHelper?.WriteLine($"download limit {Mbps} Mbit/s: {read} bytes in {watch.Elapsed.TotalSeconds:0.00} s = {measured:0.00} Mbit/s ({(measured / Mbps - 1) * 100:+0.0;-0.0} %); a 3-byte file took {small.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(data.Length, read);
        Assert.InRange(measured, Mbps * 0.9, Mbps * 1.1);
        Assert.True(small.Elapsed < TimeSpan.FromSeconds(1), $"a 3-byte read took {small.Elapsed}");
    }

    [Fact]
    public async Task The_cli_override_limits_one_command_and_refuses_a_negative_limit()
    {
        await using var pool = await LocalPool.CreateAsync();
        var file = pool.Local("f.bin");
        await File.WriteAllBytesAsync(file, LocalPool.RandomBytes(3_000_000, 3), Ct);

        var watch = Stopwatch.StartNew();
        var limited = await pool.RunAsync("--bwlimit-up", "8", "upload", file, "/f.bin");
        watch.Stop();
        var negative = await pool.RunAsync("--bwlimit-down", "-1", "cat", "/f.bin");

        Assert.True(limited.ExitCode == 0, limited.ToString());
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2.7), $"3 MB at 8 Mbit/s (1 MB/s) took {watch.Elapsed}");
        Assert.Equal(2, negative.ExitCode);
        Assert.Contains("--bwlimit-down is -1", negative.StdErr, StringComparison.Ordinal);
    }

    private static long RemoteBytes(RealPool pool) =>
        new DirectoryInfo(Path.Combine(pool.Root, "remotes")).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static async Task<long> ReadAllAsync(StoragePool pool, string path)
    {
        await using var stream = await pool.OpenReadAsync(PoolPath.Parse(path), 0, -1, Ct);
        var buffer = new byte[256 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, Ct)) > 0)
        {
            total += read;
        }

        return total;
    }
}
