using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Redundancy;

/// <summary>
/// Parity uploads of local files (the path that reads chunks in place, several stripes at once, each block handed
/// to its shard's upload as it is encoded): sizes that end mid-block, mid-row and with empty data shards read back
/// bit-exact with any one or any two remotes' data lost.
/// </summary>
public sealed class ParityFileUploadTests
{
    private const int KiB = 1024;
    private const int MiB = 1024 * KiB;

    /// <summary>With 2 MiB chunks and 256 KiB blocks: sub-block, a row short by one block and a bit, a second row of one block and a byte, several chunks ending mid-row, exact stripes.</summary>
    private static readonly int[] Sizes = [100_000, (3 * 256 * KiB) + 5, MiB + (256 * KiB) + 1, (4 * MiB) + 700_001, 6 * MiB];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Dictionary<string, byte[]>> UploadFilesAsync(TestPool test)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var size in Sizes)
        {
            var data = SixRemotes.Data(size, size);
            var local = Path.Combine(test.Directory, $"in-{size}.bin");
            await File.WriteAllBytesAsync(local, data, Ct);
            await using (var file = File.OpenRead(local))
            {
                await test.Pool.PutAsync(PoolPath.Parse($"/f{size}.bin"), file, size, PutOptions.Default, Ct);
            }

            files[$"/f{size}.bin"] = data;
        }

        return files;
    }

    private static async Task AssertReadBackAsync(StoragePool pool, Dictionary<string, byte[]> files, string lost)
    {
        foreach (var (path, data) in files)
        {
            await using var stream = await pool.OpenReadAsync(PoolPath.Parse(path), 0, -1, Ct);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, Ct);
            Assert.True(data.AsSpan().SequenceEqual(copy.ToArray()), $"{path} read back wrong with {lost} lost");
        }
    }

    [Theory]
    [InlineData(4, 2)]
    [InlineData(3, 2)]
    public async Task Local_files_ending_mid_stripe_read_back_exact_with_any_one_or_two_remotes_lost(int k, int m)
    {
        var store = new InMemoryRemoteStore(SixRemotes.Names);
        await using var test = await SixRemotes.CreateAsync(store, SixRemotes.Parity(k, m));
        var files = await UploadFilesAsync(test);

        foreach (var path in files.Keys)
        {
            var manifest = (await test.Pool.GetManifestAsync(PoolPath.Parse(path), Ct))!;
            Assert.All(manifest.Chunks, c => Assert.Equal(c.Locations.Count, c.Locations.Select(l => l.Remote).Distinct().Count()));
            Assert.All(manifest.Chunks, c => Assert.Equal(m, c.Locations.Count(l => l.Role == LocationRole.Shard && l.Shard >= k)));
        }

        var names = SixRemotes.Names;
        for (var a = 0; a < names.Length; a++)
        {
            for (var b = a; b < names.Length; b++)
            {
                var lost = a == b ? new[] { names[a] } : [names[a], names[b]];
                var saved = lost.SelectMany(r => store.Keys(r, "rclonepool_data")).ToDictionary(key => key, key => store.Objects[key]);
                foreach (var remote in lost)
                {
                    SixRemotes.LoseData(store, remote);
                }

                await AssertReadBackAsync(test.Pool, files, string.Join(" and ", lost));
                foreach (var (key, bytes) in saved)
                {
                    store.Put(key, bytes);
                }
            }
        }
    }
}
