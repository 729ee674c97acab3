using System.Text.Json;
using RclonePool.Tests.Integration.Remotes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// Remotes that fail under the pool: a loopback WebDAV remote stopped, restarted or made read-only, a tmpfs that fills
/// up. Each ends in a clear error within a bounded time or a transparent recovery, and never in a visible file whose
/// bytes differ from what was uploaded.
/// </summary>
public sealed class RemoteFaultTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static byte[] Data(int length, int seed) => LocalPool.RandomBytes(length, seed);

    /// <param name="patient">
    /// For tests whose WebDAV remote refuses writes but always answers: a long remote_answer_timeout, so that a loaded
    /// machine's slow answer (a probe unanswered within 2.5 s, at a load average of 40) does not mark it down.
    /// </param>
    private static async Task<FaultPool> WebDavPoolAsync(bool readOnlyAfterInit = false, int local = 2, bool packing = true, bool patient = false)
    {
        var root = FaultPool.NewRoot();
        var dav = await LoopbackWebDav.StartAsync(Path.Combine(root, "remotes", "dav"));
        var pool = await FaultPool.CreateAsync(root, local: local, webdav: [dav], configure: c =>
        {
            c["manifest_packing"] = packing;
            if (patient)
            {
                c["remote_answer_timeout"] = 30;
            }
        });
        pool.Own(dav);
        if (readOnlyAfterInit)
        {
            await dav.StartAgainAsync(readOnly: true);
        }

        return pool;
    }

    private static LoopbackWebDav Dav(FaultPool pool) => (LoopbackWebDav)pool.Owned.Single(o => o is LoopbackWebDav);

    private static async Task AssertReadsBackAsync(FaultPool pool, string poolPath, byte[] expected)
    {
        var result = await pool.RunWithinAsync(Bound, "cat", poolPath);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.StdOutBytes);
    }

    [Fact]
    public async Task A_remote_stopped_mid_upload_is_avoided_and_the_file_is_whole_when_it_returns()
    {
        await using var pool = await WebDavPoolAsync();
        var dav = Dav(pool);
        var data = Data(4 << 20, 1);
        var source = await pool.WriteLocalAsync("big", data);

        // Slow enough that the upload is still running when the remote stops, however busy the machine.
        await dav.LimitBandwidthAsync("1M");
        var upload = pool.RunWithinAsync(Bound, "upload", source, "/big");
        await Processes.WaitUntilAsync(() => upload.IsCompleted || pool.ChunkFilesOn(dav.Directory).Any(), Bound, "a chunk reached the WebDAV remote");
        Assert.False(upload.IsCompleted, "the upload ended before the remote could be stopped");
        await dav.StopAsync();
        var result = await upload;

        Assert.True(result.ExitCode == 0, result.ToString());
        // While the remote is down, a read either does not need it or stops with a clear error: never wrong bytes.
        var down = await pool.RunWithinAsync(Bound, "cat", "/big");
        if (down.ExitCode == 0)
        {
            Assert.Equal(data, down.StdOutBytes);
        }
        else
        {
            Assert.Equal(5, down.ExitCode);
            Assert.Contains("dav1:", down.StdErr, StringComparison.Ordinal);
            Assert.True(data.AsSpan().StartsWith(down.StdOutBytes), "cat served bytes that are not the file's");
        }

        await dav.StartAgainAsync();
        await AssertReadsBackAsync(pool, "/big", data);
        var verify = await pool.RunWithinAsync(Bound, "verify", "--quick", "--json");
        Assert.Equal(6, verify.ExitCode);
        Assert.All(JsonDocument.Parse(verify.StdOut).RootElement.GetProperty("damage").EnumerateArray(), d =>
            Assert.Equal(("manifest-disagreement", "dav1:"), (d.GetProperty("kind").GetString(), d.GetProperty("remote").GetString())));
        Assert.Contains("reconciled", (await pool.OkAsync("index", "rebuild")).StdOut, StringComparison.Ordinal);
        await pool.OkAsync("verify");
    }

    [Fact]
    public async Task A_remote_that_is_down_gives_a_clear_error_in_bounded_time_and_uploads_go_elsewhere()
    {
        await using var pool = await WebDavPoolAsync();
        var dav = Dav(pool);
        var data = Data(1 << 20, 2);
        await pool.OkAsync("upload", await pool.WriteLocalAsync("f", data), "/f");
        await dav.StopAsync();

        var download = await pool.RunWithinAsync(Bound, "download", "/f", pool.Local("out"));
        Assert.True(download.ExitCode == 5, download.ToString());
        Assert.Contains("dav1:", download.StdErr, StringComparison.Ordinal);
        Assert.Contains("can be retried", download.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(pool.Local("out")));

        var other = Data(1 << 20, 3);
        var upload = await pool.RunWithinAsync(Bound, "upload", await pool.WriteLocalAsync("g", other), "/g");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        await AssertReadsBackAsync(pool, "/g", other);

        var verify = await pool.RunWithinAsync(Bound, "verify", "--quick");
        Assert.Equal(5, verify.ExitCode);
        Assert.Contains("unreachable: on dav1:", verify.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remote_restarted_mid_upload_recovers_transparently()
    {
        await using var pool = await WebDavPoolAsync();
        var dav = Dav(pool);
        var data = Data(4 << 20, 4);
        var upload = pool.RunWithinAsync(Bound, "upload", await pool.WriteLocalAsync("big", data), "/big");
        await Processes.WaitUntilAsync(() => upload.IsCompleted || pool.ChunkFilesOn(dav.Directory).Any(), Bound, "a chunk reached the WebDAV remote");
        await dav.StopAsync();
        await dav.StartAgainAsync();

        var result = await upload;
        Assert.True(result.ExitCode == 0, result.ToString());
        await AssertReadsBackAsync(pool, "/big", data);
    }

    [Fact]
    public async Task A_read_only_remote_is_refused_at_once_and_the_upload_goes_elsewhere()
    {
        await using var pool = await WebDavPoolAsync(readOnlyAfterInit: true, patient: true);
        var data = Data(1 << 20, 5);
        var result = await pool.RunWithinAsync(Bound, "upload", await pool.WriteLocalAsync("f", data), "/f");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(pool.ChunkFilesOn(Dav(pool).Directory));
        await AssertReadsBackAsync(pool, "/f", data);
    }

    [Fact]
    public async Task When_every_remote_refuses_the_upload_fails_naming_them_and_leaves_nothing()
    {
        await using var pool = await WebDavPoolAsync(readOnlyAfterInit: true, local: 0, patient: true);
        var result = await pool.RunWithinAsync(Bound, "upload", await pool.WriteLocalAsync("f", Data(200_000, 6)), "/f");

        Assert.Equal(9, result.ExitCode);
        Assert.Contains("dav1: failed", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("No remote could store chunk", result.StdErr, StringComparison.Ordinal);
        Assert.StartsWith("rclonepool: ", result.StdErr.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
        Assert.Empty(pool.ChunkFiles());
        Assert.Empty((await pool.OkAsync("ls", "/")).StdOut.Trim());
    }

    [Fact]
    public async Task A_delete_that_cannot_remove_every_manifest_copy_keeps_the_chunks_so_the_file_stays_whole()
    {
        // Single manifests (manifest_packing off): the copy left on the read-only remote still makes it a file.
        await using var pool = await WebDavPoolAsync(packing: false, patient: true);
        var data = Data(1 << 20, 7);
        await pool.OkAsync("upload", await pool.WriteLocalAsync("f", data), "/f");
        await Dav(pool).StartAgainAsync(readOnly: true);

        var delete = await pool.RunWithinAsync(Bound, "delete", "/f");
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains("chunks are kept", delete.StdErr, StringComparison.Ordinal);

        // Rebuilt from the remotes, it reads back whole.
        await pool.OkAsync("index", "rebuild");
        await AssertReadsBackAsync(pool, "/f", data);
    }

    [Fact]
    public async Task A_packed_delete_that_reaches_only_some_remotes_holds_and_keeps_the_chunks_until_the_last_copy_is_gone()
    {
        // manifest_packing (the default): the delete's tombstone is on the remotes that took it, and a tombstone outranks the
        // copy the read-only remote keeps, so the delete holds for every reader of the remotes; the chunks stay while that
        // copy names them.
        await using var pool = await WebDavPoolAsync(patient: true);
        var data = Data(1 << 20, 7);
        await pool.OkAsync("upload", await pool.WriteLocalAsync("f", data), "/f");
        var chunks = pool.ChunkFiles().ToHashSet();
        await Dav(pool).StartAgainAsync(readOnly: true);

        var delete = await pool.RunWithinAsync(Bound, "delete", "/f");
        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.Contains("chunks are kept", delete.StdErr, StringComparison.Ordinal);

        // The rebuild cannot remove the hidden copy from the read-only remote (exit 6, naming it), and does not bring the file back.
        var rebuild = await pool.RunWithinAsync(Bound, "index", "rebuild");
        Assert.True(rebuild.ExitCode == 6 && rebuild.StdOut.Contains("could not be compacted", StringComparison.Ordinal), rebuild.ToString());
        Assert.Equal(3, (await pool.RunWithinAsync(Bound, "cat", "/f")).ExitCode);
        Assert.Equal(chunks, pool.ChunkFiles().ToHashSet());

        // Once the remote takes writes again, the copy goes, then its chunks.
        await Dav(pool).StartAgainAsync(readOnly: false);
        await pool.OkAsync("index", "rebuild");
        await pool.OkAsync("orphans", "--delete", "--min-age", "0");
        Assert.Empty(pool.ChunkFiles());
        Assert.Empty((await pool.OkAsync("ls", "/")).StdOut.Trim());
    }

    [Fact]
    public async Task A_remote_that_runs_out_of_space_mid_upload_is_avoided()
    {
        var root = FaultPool.NewRoot();
        // Room for bytes (so placement, which asks 'about', prefers it) but only a dozen files: writes fail with ENOSPC.
        var (mount, why) = await TmpfsMount.TryMountAsync(Path.Combine(root, "remotes", "tiny"), "900g", inodes: 12);
        if (mount is null)
        {
            Assert.Skip(why!);
        }

        await using var pool = await FaultPool.CreateAsync(root, local: 1, directories: [mount.Path]);
        pool.Own(mount);
        var data = Data(2 << 20, 8);
        var result = await pool.RunWithinAsync(Bound, "upload", await pool.WriteLocalAsync("f", data), "/f");

        Assert.True(result.ExitCode == 0, result.ToString());

        // Either placement already steered around the tiny remote (its free space is known), or it ran out
        // mid-upload and the chunk went elsewhere: both must end with the file whole.
        Assert.True(
            result.StdErr.Contains("no space left on device", StringComparison.OrdinalIgnoreCase) || !pool.ChunkFilesOn(mount.Path).Any(),
            result.ToString());
        await AssertReadsBackAsync(pool, "/f", data);
    }

    [Fact]
    public async Task When_every_remote_runs_out_of_space_mid_upload_the_exit_code_is_no_space()
    {
        var root = FaultPool.NewRoot();
        // Both remotes report terabytes free (so the upload is not refused up front) but hold only a few files: every
        // chunk write ends in ENOSPC. That is "no space" (exit 7), not a remote failure (exit 9).
        var (first, why) = await TmpfsMount.TryMountAsync(Path.Combine(root, "remotes", "t1"), "900g", inodes: 6);
        if (first is null)
        {
            Assert.Skip(why!);
        }

        var (second, _) = await TmpfsMount.TryMountAsync(Path.Combine(root, "remotes", "t2"), "900g", inodes: 6);
        await using var pool = await FaultPool.CreateAsync(root, local: 0, directories: [first.Path, second!.Path]);
        pool.Own(first);
        pool.Own(second);
        var result = await pool.RunWithinAsync(Bound, "upload", await pool.WriteLocalAsync("f", Data(1 << 20, 10)), "/f");

        Assert.Equal(7, result.ExitCode);
        Assert.Contains("out of space", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(first.Path, result.StdErr, StringComparison.Ordinal);
        Assert.Contains(second.Path, result.StdErr, StringComparison.Ordinal);
        Assert.Empty(pool.ChunkFiles());
        Assert.Empty((await pool.OkAsync("ls", "/")).StdOut.Trim());
    }

    [Fact]
    public async Task An_upload_the_pool_cannot_hold_is_refused_before_anything_is_written()
    {
        var root = FaultPool.NewRoot();
        var (first, why) = await TmpfsMount.TryMountAsync(Path.Combine(root, "remotes", "t1"), "512k");
        if (first is null)
        {
            Assert.Skip(why!);
        }

        var (second, _) = await TmpfsMount.TryMountAsync(Path.Combine(root, "remotes", "t2"), "512k");
        await using var pool = await FaultPool.CreateAsync(root, local: 0, directories: [first.Path, second!.Path]);
        pool.Own(first);
        pool.Own(second);
        var result = await pool.RunWithinAsync(Bound, "upload", await pool.WriteLocalAsync("f", Data(2 << 20, 9)), "/f");

        Assert.Equal(7, result.ExitCode);
        Assert.Contains("cannot hold", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(pool.ChunkFiles());
    }
}
