using System.Text.Json;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>health through the real CLI against real rclone: six local-directory remotes with 4+2 parity.</summary>
public sealed class CliHealthTests
{
    private const int MiB = 1024 * 1024;
    private static readonly int[] Sizes = [100, 300 * 1024, MiB + 17, (3 * MiB) + (MiB / 2)];

    private static async Task<JsonElement> HealthJsonAsync(LocalPool pool, int expectedExit, params string[] arguments)
    {
        var result = await pool.RunAsync(["health", "--json", .. arguments]);
        Assert.True(result.ExitCode == expectedExit, $"expected exit {expectedExit}: {result}");
        return JsonDocument.Parse(result.StdOut).RootElement;
    }

    [Fact]
    public async Task Losing_two_remotes_is_reported_with_a_non_zero_exit_and_rebuild_makes_the_pool_healthy_again()
    {
        await using var pool = await LocalPool.CreateAsync(remotes: 6, chunkSize: MiB, configure: c =>
        {
            c["redundancy_mode"] = "parity";
            c["parity_data_shards"] = 4;
            c["parity_parity_shards"] = 2;
        });
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var size in Sizes)
        {
            var data = LocalPool.RandomBytes(size, size);
            var local = pool.Local($"in-{size}");
            await File.WriteAllBytesAsync(local, data);
            await pool.OkAsync("upload", local, $"/h/f{size}.bin");
            files[$"/h/f{size}.bin"] = data;
        }

        var healthy = await pool.OkAsync("health");
        Assert.Contains("healthy: 4 files", healthy.StdOut, StringComparison.Ordinal);
        var whole = await HealthJsonAsync(pool, 0);
        Assert.Equal("healthy", whole.GetProperty("state").GetString());
        Assert.Equal(2, whole.GetProperty("margin").GetInt32());
        Assert.Equal(12, whole.GetProperty("remote_calls").GetInt32()); // one manifest and one data listing per remote

        var lost = new[] { pool.Remotes[1], pool.Remotes[4] };
        foreach (var remote in lost)
        {
            Directory.Delete(Path.Combine(remote, "rclonepool_data"), recursive: true);
        }

        var text = await pool.RunAsync("health");
        Assert.Equal(10, text.ExitCode);
        Assert.Contains("rclonepool rebuild", text.StdOut, StringComparison.Ordinal);
        var damaged = await HealthJsonAsync(pool, 10);
        Assert.Contains(damaged.GetProperty("state").GetString(), new[] { "degraded", "critical" });
        Assert.False(damaged.GetProperty("healthy").GetBoolean());
        Assert.Equal(0, damaged.GetProperty("files_by_state").GetProperty("lost").GetInt32());
        Assert.Contains(damaged.GetProperty("files").EnumerateArray(), f => f.GetProperty("state").GetString() is "degraded" or "critical");
        foreach (var remote in damaged.GetProperty("remotes").EnumerateArray())
        {
            Assert.True(remote.GetProperty("reachable").GetBoolean());
            if (lost.Contains(remote.GetProperty("name").GetString()))
            {
                Assert.Equal(0, remote.GetProperty("objects_present").GetInt32());
                Assert.True(remote.GetProperty("objects_missing").GetInt32() > 0);
            }
            else
            {
                Assert.Equal(remote.GetProperty("objects_expected").GetInt32(), remote.GetProperty("objects_present").GetInt32());
            }
        }

        foreach (var (path, data) in files)
        {
            Assert.Equal(data, (await pool.OkAsync("cat", path)).StdOutBytes);
        }

        await pool.OkAsync("rebuild");

        var after = await HealthJsonAsync(pool, 0, "--deep");
        Assert.Equal("healthy", after.GetProperty("state").GetString());
        Assert.True(after.GetProperty("bytes_read").GetInt64() > 0);
        await pool.OkAsync("health", "/h");
    }
}
