using System.Net;
using System.Net.Http.Headers;
using RclonePool.Core.Events;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// WebDAV GETs of the real pool publish the PRE_DOWNLOAD / POST_DOWNLOAD hook points as the CLI's download does: for a
/// whole-file GET (200, or one range covering the whole file) only, not for ranged reads or HEAD.
/// </summary>
public sealed class DownloadEventTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Whole_file_GETs_publish_PRE_and_POST_DOWNLOAD_and_ranged_reads_and_HEAD_do_not()
    {
        await using var real = await RealPool.OpenAsync(remotes: 2, chunkSize: 64 * 1024);
        var data = LocalPool.RandomBytes(300_000, 41);
        await real.Pool.PutAsync(PoolPath.Parse("/movie.bin"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        await real.Pool.PutAsync(PoolPath.Parse("/empty"), new MemoryStream(), 0, PutOptions.Default, Ct);
        var events = new List<PoolEvent>();
        using var subscription = real.Pool.Events.Subscribe(e => { lock (events) { events.Add(e); } }, PoolEventType.PreDownload, PoolEventType.PostDownload);
        await using var server = await PoolServer.StartAsync(real.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0 }, cancellationToken: Ct);
        using var client = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };

        List<(string, string?, long?)> Take()
        {
            lock (events)
            {
                var taken = events.Select(e => (e.Type.HookName(), e.Path, e.Bytes)).ToList();
                events.Clear();
                return taken;
            }
        }

        Assert.Equal(data, await client.GetByteArrayAsync("movie.bin", Ct));
        Assert.Equal([("PRE_DOWNLOAD", "/movie.bin", 300_000L), ("POST_DOWNLOAD", "/movie.bin", 300_000L)], Take());

        Assert.Equal(data[1000..2000], await GetRangeAsync(client, 1000, 1999));
        using (var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "movie.bin"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        }

        Assert.Empty(Take());

        // "bytes=0-" (how players and rclone start a read) is the whole file: a download.
        Assert.Equal(data, await GetRangeAsync(client, 0, null));
        Assert.Equal(["PRE_DOWNLOAD", "POST_DOWNLOAD"], Take().Select(e => e.Item1));

        Assert.Empty(await client.GetByteArrayAsync("empty", Ct));
        Assert.Equal([("PRE_DOWNLOAD", "/empty", 0L), ("POST_DOWNLOAD", "/empty", 0L)], Take());
    }

    private static async Task<byte[]> GetRangeAsync(HttpClient client, long from, long? to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "movie.bin");
        request.Headers.Range = new RangeHeaderValue(from, to);
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync(Ct);
    }
}
