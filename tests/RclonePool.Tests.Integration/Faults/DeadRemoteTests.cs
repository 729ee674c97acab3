using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using RclonePool.Tests.Integration.Remotes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// A remote that is gone, with rclone's flags as a user has them (none set): stopped before the command starts, frozen
/// (it accepts connections and never answers), replaced by a port that accepts and never answers, or killed in the
/// middle of a transfer. Uploads (new content and duplicates) complete on the other remotes, reads of what only that
/// remote holds end in a clear error naming it, WebDAV PUT and GET behave the same, each within 30 s of its start; a
/// stop signal ends the command at once without restarting rclone.
/// </summary>
public sealed class DeadRemoteTests
{
    /// <summary>The longest any command may take while a remote is dead (the bound).</summary>
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(30);

    public enum Fault
    {
        StoppedBeforeStart,
        Frozen,
        SilentPort,
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Three local remotes and a loopback WebDAV one, rclone's flags left at their defaults; <c>/old</c> (3 MiB of 256 KiB
    /// chunks) has chunks on every remote, the WebDAV one included.
    /// </summary>
    private static async Task<(FaultPool Pool, LoopbackWebDav Dav, byte[] Old)> PoolAsync(int seed)
    {
        var root = FaultPool.NewRoot();
        var dav = await LoopbackWebDav.StartAsync(Path.Combine(root, "remotes", "dav"));
        var pool = await FaultPool.CreateAsync(root, local: 3, webdav: [dav], chunkSize: 256 * 1024, configure: c => c["rclone_flags"] = new JsonArray());
        pool.Own(dav);
        var old = LocalPool.RandomBytes(3 << 20, seed);
        await pool.OkAsync("upload", await pool.WriteLocalAsync("old", old), "/old");
        Assert.Contains(pool.ManifestOf("/old").Chunks, c => c.Locations.Any(l => l.Remote == "dav1:"));
        return (pool, dav, old);
    }

    private static async Task<IAsyncDisposable?> BreakAsync(LoopbackWebDav dav, Fault fault)
    {
        switch (fault)
        {
            case Fault.Frozen:
                dav.Freeze();
                return null;
            case Fault.SilentPort:
                await dav.StopAsync();
                return SilentServer.Start(dav.Port);
            default:
                await dav.StopAsync();
                return null;
        }
    }

    private static async Task<CliResult> TimedAsync(FaultPool pool, params string[] arguments)
    {
        var clock = Stopwatch.StartNew();
        var result = await pool.RunAsync(arguments);
        Assert.True(clock.Elapsed < Answer, $"rclonepool {string.Join(' ', arguments)} took {clock.Elapsed.TotalSeconds:0.0} s with the remote dead: {result}");
        return result;
    }

    [Theory]
    [InlineData(Fault.StoppedBeforeStart)]
    [InlineData(Fault.Frozen)]
    [InlineData(Fault.SilentPort)]
    public async Task Uploads_complete_elsewhere_and_reads_fail_clearly_within_seconds(Fault fault)
    {
        var (pool, dav, old) = await PoolAsync(40 + (int)fault);
        await using var _ = pool;
        await using var silent = await BreakAsync(dav, fault);

        var fresh = LocalPool.RandomBytes(1 << 20, 50 + (int)fault);
        var upload = await TimedAsync(pool, "upload", await pool.WriteLocalAsync("fresh", fresh), "/fresh");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        Assert.DoesNotContain(pool.ManifestOf("/fresh").Chunks, c => c.Locations.Any(l => l.Remote == "dav1:"));

        var duplicate = await TimedAsync(pool, "upload", pool.Local("old"), "/again");
        Assert.True(duplicate.ExitCode == 0, duplicate.ToString());

        var download = await TimedAsync(pool, "download", "/old", pool.Local("out"));
        Assert.Equal(5, download.ExitCode);
        Assert.Contains("dav1:", download.StdErr, StringComparison.Ordinal);
        Assert.Contains("/old", download.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(pool.Local("out")), "download left a partial file");

        var cat = await TimedAsync(pool, "cat", "/old");
        Assert.Equal(5, cat.ExitCode);
        Assert.Contains("dav1:", cat.StdErr, StringComparison.Ordinal);
        Assert.True(old.AsSpan().StartsWith(cat.StdOutBytes), "cat served bytes that are not the file's");

        var fine = await TimedAsync(pool, "cat", "/fresh");
        Assert.True(fine.ExitCode == 0, fine.ToString());
        Assert.Equal(fresh, fine.StdOutBytes);

        // Back: everything reads, the duplicate too.
        if (silent is not null)
        {
            await silent.DisposeAsync();
        }

        await dav.StartAgainAsync();
        Assert.Equal(old, (await pool.OkAsync("cat", "/again")).StdOutBytes);
        Assert.Equal(old, (await pool.OkAsync("cat", "/old")).StdOutBytes);
    }

    [Theory]
    [InlineData(Fault.StoppedBeforeStart)]
    [InlineData(Fault.Frozen)]
    [InlineData(Fault.SilentPort)]
    public async Task WebDav_puts_complete_elsewhere_and_gets_never_serve_wrong_bytes(Fault fault)
    {
        var (pool, dav, old) = await PoolAsync(60 + (int)fault);
        await using var _ = pool;
        await using var serve = CliProcess.Start(["--config", pool.ConfigPath, "serve", "--port", "0"], pool.Environment);
        var url = await ServingUrlAsync(serve);
        await using var silent = await BreakAsync(dav, fault);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = Answer };

        var fresh = LocalPool.RandomBytes(1 << 20, 70 + (int)fault);
        var clock = Stopwatch.StartNew();
        using (var put = await http.PutAsync("fresh.bin", new ByteArrayContent(fresh), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        Assert.True(clock.Elapsed < Answer, $"PUT took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(fresh, await http.GetByteArrayAsync("fresh.bin", Ct));

        clock.Restart();
        var served = await GetWhatIsServedAsync(http, "old");
        Assert.True(clock.Elapsed < Answer, $"GET took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(served.Status != HttpStatusCode.OK || served.Body.Length < old.Length, "a file with a chunk on the dead remote was served whole");
        Assert.True(old.AsSpan().StartsWith(served.Body), "GET served bytes that are not the file's");

        var (exitCode, stderr) = await serve.SignalAndWaitAsync(15, TimeSpan.FromSeconds(15));
        Assert.True(exitCode == 0, $"serve exited {exitCode} on SIGTERM: {stderr}");
        AssertStoppedCalmly(stderr);
    }

    [Fact]
    public async Task A_remote_killed_mid_upload_and_mid_download_costs_seconds()
    {
        var (pool, dav, old) = await PoolAsync(80);
        await using var _ = pool;

        await dav.LimitBandwidthAsync("256k");
        var data = LocalPool.RandomBytes(4 << 20, 81);
        var source = await pool.WriteLocalAsync("big", data);
        var clock = Stopwatch.StartNew();
        var upload = pool.RunAsync("upload", source, "/big");
        var before = pool.ChunkFilesOn(dav.Directory).Count();
        await Processes.WaitUntilAsync(() => upload.IsCompleted || pool.ChunkFilesOn(dav.Directory).Count() > before, Answer, "a chunk of the upload reached the WebDAV remote");
        Assert.False(upload.IsCompleted, "the upload ended before the remote could be killed");
        await dav.StopAsync();
        var result = await upload;
        Assert.True(clock.Elapsed < Answer, $"upload took {clock.Elapsed.TotalSeconds:0.0} s after the remote was killed: {result}");
        Assert.True(result.ExitCode == 0, result.ToString());

        // Chunks stored there before it died are read once it is back.
        await dav.StartAgainAsync();
        Assert.Equal(data, (await pool.OkAsync("cat", "/big")).StdOutBytes);
        await dav.LimitBandwidthAsync("128k");
        clock.Restart();
        var download = pool.RunAsync("download", "/old", pool.Local("out"));
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        await dav.StopAsync();
        var read = await download;
        Assert.True(clock.Elapsed < Answer, $"download took {clock.Elapsed.TotalSeconds:0.0} s after the remote was killed: {read}");
        if (read.ExitCode == 0)
        {
            Assert.Equal(old, await File.ReadAllBytesAsync(pool.Local("out"), Ct));
        }
        else
        {
            // 5: the remote was found down. rclone may hand over the body it had when the server died, cut short, as if
            // complete: the read path asks the remote for the object's size before it calls that damage (6), and a
            // remote that cannot be asked is down, not damaged.
            Assert.True(read.ExitCode == 5, read.ToString());
            Assert.Contains("dav1:", read.StdErr, StringComparison.Ordinal);
            Assert.False(File.Exists(pool.Local("out")), "download left a partial file");
        }
    }

    [Fact]
    public async Task A_stop_signal_during_an_upload_ends_it_at_once_without_restarting_rclone()
    {
        var (pool, dav, _) = await PoolAsync(90);
        await using var __ = pool;
        await dav.LimitBandwidthAsync("64k");
        var source = await pool.WriteLocalAsync("slow", LocalPool.RandomBytes(4 << 20, 91));
        await using var upload = CliProcess.Start(["--config", pool.ConfigPath, "upload", source, "/slow"], pool.Environment);
        await Processes.WaitUntilAsync(() => upload.RcloneChildren().Count > 0, Answer, "the upload started rclone");
        var rclone = upload.RcloneChildren();
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);

        var clock = Stopwatch.StartNew();
        var (exitCode, stderr) = await upload.SignalAndWaitAsync(15, TimeSpan.FromSeconds(15));

        Assert.True(exitCode == 130, $"upload exited {exitCode} on SIGTERM: {stderr}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {clock.Elapsed.TotalSeconds:0.0} s");
        AssertStoppedCalmly(stderr);
        Assert.Single(stderr.Split('\n'), l => l.Contains("interrupted", StringComparison.Ordinal));
        await Processes.WaitUntilAsync(() => !rclone.Any(Processes.IsRcloneRunning), TimeSpan.FromSeconds(10), "the upload's rclone is gone");
        Assert.DoesNotContain(pool.ManifestFiles(), f => Path.GetFileName(f).Contains("slow", StringComparison.Ordinal));
    }

    private static void AssertStoppedCalmly(string stderr)
    {
        Assert.DoesNotContain("exited unexpectedly", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("replacing it", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(stderr.Split('\n'), l => l.Contains("rcd", StringComparison.Ordinal) && l.Contains("does not answer", StringComparison.Ordinal));
    }

    private static async Task<(HttpStatusCode Status, byte[] Body)> GetWhatIsServedAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, Ct);
        await using var body = await response.Content.ReadAsStreamAsync(Ct);
        using var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, Ct)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The server ended the response early: what came is checked by the caller.
        }

        return (response.StatusCode, received.ToArray());
    }

    private static async Task<string> ServingUrlAsync(CliProcess process)
    {
        const string prefix = "serve: WebDAV on ";
        var line = await process.WaitForLineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var url = line[prefix.Length..].Split(' ')[0];
        return url.EndsWith('/') ? url : url + "/";
    }
}
