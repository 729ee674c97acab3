using RclonePool.Core.Events;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Live;

/// <summary>The pool counts what the live statistics and the metrics report, and publishes download progress.</summary>
public sealed class PoolTrafficTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Uploads_downloads_ranged_reads_and_operations_are_counted()
    {
        await using var test = await TestPool.CreateAsync(new InMemoryRemoteStore("a:", "b:", "c:"));
        var pool = test.Pool;
        var data = new byte[300_000];
        new Random(7).NextBytes(data);

        await pool.PutAsync(PoolPath.Parse("/f.bin"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        Assert.Equal(data.Length, pool.Traffic.UploadedBytes);

        await using (var download = await pool.OpenDownloadAsync(PoolPath.Parse("/f.bin"), Ct))
        {
            await download.CopyToAsync(Stream.Null, Ct);
        }

        await using (var range = await pool.OpenReadAsync(PoolPath.Parse("/f.bin"), 1000, 500, Ct))
        {
            await range.CopyToAsync(Stream.Null, Ct);
        }

        await pool.MkdirAsync(PoolPath.Parse("/d"), Ct);
        await pool.MoveAsync(PoolPath.Parse("/f.bin"), PoolPath.Parse("/d/f.bin"), overwrite: false, Ct);
        await pool.DeleteAsync(PoolPath.Parse("/d/f.bin"), recursive: false, Ct);

        Assert.Equal(data.Length + 500, pool.Traffic.DownloadedBytes);
        Assert.Equal(
            [(PoolOperation.Upload, 1L), (PoolOperation.Download, 1L), (PoolOperation.Read, 1L), (PoolOperation.Delete, 1L), (PoolOperation.Move, 1L), (PoolOperation.Copy, 0L), (PoolOperation.Mkdir, 1L), (PoolOperation.SetProperties, 0L)],
            PoolTraffic.Operations.Select(o => (o, pool.Traffic.Count(o))));
        Assert.Equal(6, pool.Traffic.OperationsTotal);
        Assert.Equal("set_properties", PoolOperation.SetProperties.Name());
    }

    [Fact]
    public async Task A_whole_file_read_publishes_download_progress_up_to_the_last_byte()
    {
        await using var test = await TestPool.CreateAsync(new InMemoryRemoteStore("a:", "b:", "c:"));
        var data = new byte[1_000_000];
        await test.Pool.PutAsync(PoolPath.Parse("/big"), new MemoryStream(data), data.Length, PutOptions.Default, Ct);
        var progress = new List<PoolEvent>();
        using var subscription = test.Pool.Events.Subscribe(e => { lock (progress) { progress.Add(e); } }, PoolEventType.Progress);

        await using (var download = await test.Pool.OpenDownloadAsync(PoolPath.Parse("/big"), Ct))
        {
            var buffer = new byte[4096];
            while (await download.ReadAsync(buffer, Ct) > 0)
            {
            }
        }

        Assert.All(progress, e => Assert.Equal(("download", "/big", 1_000_000L), (e.Operation!, e.Path!, e.TotalBytes!.Value)));
        Assert.Equal(1_000_000, progress[^1].Bytes);
        Assert.True(progress.Count < 50, $"{progress.Count} progress events for 245 reads: they are not coalesced");
    }
}
