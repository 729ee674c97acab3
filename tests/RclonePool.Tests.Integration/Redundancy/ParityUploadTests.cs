using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Redundancy;

/// <summary>
/// 4+2 parity uploads through the CLI to real local remotes (written directly, several stripes in flight, each block
/// handed to its shard's file as it is encoded): every shard file has the length the stripe layout gives it, and files
/// whose last stripe ends mid-block, mid-row or with empty data shards download bit-exact after one, then two
/// remotes vanish.
/// </summary>
public sealed class ParityUploadTests
{
    private const int KiB = 1024;
    private const int MiB = 1024 * KiB;

    /// <summary>With 4 MiB chunks and 256 KiB blocks (4 rows a stripe).</summary>
    private static readonly int[] Sizes = [200 * KiB, (5 * 256 * KiB) + 1, (3 * MiB) + 100, (9 * MiB) + (256 * KiB) + 77, 8 * MiB];

    [Fact]
    public async Task Files_ending_mid_stripe_download_exact_after_one_then_two_remotes_vanish()
    {
        await using var pool = await LocalPool.CreateAsync(remotes: 6, chunkSize: 4 * MiB, configure: c =>
        {
            c["redundancy_mode"] = "parity";
            c["parity_data_shards"] = 4;
            c["parity_parity_shards"] = 2;
            c["max_parallel_workers"] = 3;
        });

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var size in Sizes)
        {
            var data = LocalPool.RandomBytes(size, size);
            var local = pool.Local($"in-{size}");
            await File.WriteAllBytesAsync(local, data, TestContext.Current.CancellationToken);
            await pool.OkAsync("upload", local, $"/p/f{size}");
            files[$"/p/f{size}"] = data;
        }

        // Stored bytes: each full 4 MiB chunk as 6 shards of 1 MiB; what parity adds is half of the data, rounded up to rows.
        var remoteFiles = pool.RemoteFiles();
        var stored = pool.ChunkFiles().Sum(f => remoteFiles[f]);
        var expected = Sizes.Sum(s => (long)s) + Sizes.Sum(ParityBytes);
        Assert.Equal(expected, stored);
        Assert.DoesNotContain(remoteFiles.Keys, f => f.EndsWith(".partial", StringComparison.Ordinal));

        Directory.Delete(pool.Remotes[2], recursive: true);
        await AssertDownloadsAsync(pool, files);
        Directory.Delete(pool.Remotes[5], recursive: true);
        await AssertDownloadsAsync(pool, files);
    }

    /// <summary>Parity bytes of a file: per chunk, per row, 2 blocks as long as the row's first block.</summary>
    private static long ParityBytes(int size)
    {
        long parity = 0;
        for (long chunk = 0; chunk < size; chunk += 4 * MiB)
        {
            var length = Math.Min(4 * MiB, size - chunk);
            for (long row = 0; row < length; row += MiB)
            {
                parity += 2 * Math.Min(256 * KiB, length - row);
            }
        }

        return parity;
    }

    private static async Task AssertDownloadsAsync(LocalPool pool, Dictionary<string, byte[]> files)
    {
        foreach (var (path, data) in files)
        {
            var local = pool.Local("out-" + Guid.NewGuid().ToString("N"));
            await pool.OkAsync("download", path, local);
            var downloaded = await File.ReadAllBytesAsync(local, TestContext.Current.CancellationToken);
            Assert.True(data.AsSpan().SequenceEqual(downloaded), $"{path} downloaded wrong");
        }
    }
}
