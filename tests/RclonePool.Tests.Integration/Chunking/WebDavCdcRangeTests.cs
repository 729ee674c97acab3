using System.Net;
using System.Net.Http.Headers;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Chunking;

/// <summary>
/// WebDAV GET with Range on a file cut into content-defined chunks and stored as 2+1 parity stripes through rclone rcd:
/// every range, across chunk boundaries too, is exact, also with one remote's chunks gone.
/// </summary>
public sealed class WebDavCdcRangeTests
{
    private const int KiB = 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ranges_of_a_cdc_file_are_exact_healthy_and_without_a_remote()
    {
        await using var pool = await RealPool.OpenAsync(configure: c =>
        {
            c.EnableDeduplication = true;
            c.Chunking = "cdc";
            c.CdcMinChunkSize = 16 * KiB;
            c.CdcAvgChunkSize = 64 * KiB;
            c.CdcMaxChunkSize = 256 * KiB;
            c.RedundancyMode = "parity";
            c.ParityDataShards = 2;
            c.ParityParityShards = 1;
            c.EnableChunkCache = false;
        });
        var data = LocalPool.RandomBytes((3 * 1024 * KiB) + 777, 5);
        var local = Path.Combine(pool.Root, "video.mkv");
        await File.WriteAllBytesAsync(local, data, Ct);
        await using (var file = File.OpenRead(local))
        {
            await pool.Pool.PutAsync(PoolPath.Parse("/video.mkv"), file, data.Length, PutOptions.Default, Ct);
        }

        var manifest = (await pool.Pool.GetManifestAsync(PoolPath.Parse("/video.mkv"), Ct))!;
        Assert.True(manifest.Chunks.Count > 20);
        await using var server = await PoolServer.StartAsync(pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0 }, null, Ct);
        using var client = new HttpClient { BaseAddress = server.Url };

        var random = new Random(7);
        var boundaries = manifest.Chunks.Skip(1).Select(c => c.Offset).ToList();
        async Task CheckRangesAsync()
        {
            for (var i = 0; i < 30; i++)
            {
                long from = i % 2 == 0 ? Math.Max(0, boundaries[random.Next(boundaries.Count)] - random.Next(0, 5000)) : random.Next(data.Length);
                var to = Math.Min(data.Length - 1, from + random.Next(0, 200 * KiB));
                using var request = new HttpRequestMessage(HttpMethod.Get, "/video.mkv");
                request.Headers.Range = new RangeHeaderValue(from, to);
                using var response = await client.SendAsync(request, Ct);
                Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
                var body = await response.Content.ReadAsByteArrayAsync(Ct);
                Assert.True(data.AsSpan((int)from, (int)(to - from + 1)).SequenceEqual(body), $"bytes {from}-{to} differ");
            }
        }

        await CheckRangesAsync();
        Directory.Delete(Path.Combine(pool.Root, "remotes", "r2", "rclonepool_data"), recursive: true);
        await CheckRangesAsync();
    }
}
