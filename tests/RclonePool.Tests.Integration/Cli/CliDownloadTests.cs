using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>
/// <c>download</c> to a file: chunks fetched in parallel into a sparse temporary file beside the destination, written in
/// 1 MiB pieces, renamed into place only when every byte is verified; refused when the disk lacks the room, and nothing
/// kept when it fills up meanwhile.
/// </summary>
public sealed class CliDownloadTests
{
    // Five hash blocks: each chunk is one 1 MiB write piece and a 256 KiB rest, so pieces end inside chunks.
    private const int Chunk = 5 * 256 * 1024;

    [Fact]
    public async Task A_file_whose_chunks_do_not_end_on_a_write_piece_downloads_bit_exact_and_leaves_only_the_file()
    {
        await using var pool = await LocalPool.CreateAsync(chunkSize: Chunk);
        var data = LocalPool.RandomBytes((4 * Chunk) + 12345, 20);
        var source = pool.Local("source.bin");
        await File.WriteAllBytesAsync(source, data);
        await pool.OkAsync("upload", source, "/d/file.bin");

        var target = pool.Local("back.bin");
        await File.WriteAllBytesAsync(target, [1, 2, 3]);
        await pool.OkAsync("download", "/d/file.bin", target);

        Assert.Equal(data, await File.ReadAllBytesAsync(target));
        Assert.Equal(["back.bin", "source.bin"], LocalNames(pool));
    }

    [Fact]
    public async Task A_download_that_fails_verification_leaves_neither_the_file_nor_a_partial_one()
    {
        await using var pool = await LocalPool.CreateAsync(chunkSize: Chunk);
        var source = pool.Local("source.bin");
        await File.WriteAllBytesAsync(source, LocalPool.RandomBytes((4 * Chunk) + 12345, 21));
        await pool.OkAsync("upload", source, "/d/file.bin");

        // The last byte of every chunk object: each worker fails after it has written the chunk's first piece.
        foreach (var chunk in pool.ChunkFiles())
        {
            var path = Path.Combine(pool.Root, "remotes", chunk);
            var bytes = await File.ReadAllBytesAsync(path);
            bytes[^1] ^= 0x5a;
            await File.WriteAllBytesAsync(path, bytes);
        }

        var download = await pool.RunAsync("download", "/d/file.bin", pool.Local("back.bin"));

        Assert.NotEqual(0, download.ExitCode);
        Assert.Equal(["source.bin"], LocalNames(pool));
    }

    /// <summary>
    /// A download onto a 1 MiB disk (a tmpfs mounted in a user and mount namespace of the command's own) of a 3 MB file:
    /// refused before a byte is written, exit code 7, the disk left empty.
    /// </summary>
    [Fact]
    public async Task A_download_larger_than_the_free_space_is_refused_before_anything_is_written()
    {
        await using var pool = await UploadedAsync(3_000_000);
        var disk = pool.Local("small-disk");
        Directory.CreateDirectory(disk);

        var download = await RunOnSmallDiskAsync(pool, disk, "1m", string.Empty, "download", "/d/file.bin", Path.Combine(disk, "file.bin"));

        Assert.True(download.ExitCode == 7, download.ToString());
        Assert.Contains("only 1.0 MiB is free on the disk of " + disk, download.StdErr, StringComparison.Ordinal);
        Assert.Contains("Free space there, or download to another disk", download.StdErr, StringComparison.Ordinal);
        Assert.Equal("left:", download.StdOut.Trim());
    }

    /// <summary>
    /// The disk fills up while a 3 MB file downloads onto it (a 4 MiB tmpfs; the download limited to 1 MB/s, and another
    /// program takes 3 MiB as soon as the temporary file appears): exit code 7, a message that says so, and only the
    /// other program's file is left.
    /// </summary>
    [Fact]
    public async Task A_disk_that_fills_up_during_a_download_keeps_no_partial_file()
    {
        await using var pool = await UploadedAsync(3_000_000);
        var disk = pool.Local("small-disk");
        Directory.CreateDirectory(disk);
        var filler = $"(i=0; until ls -A '{disk}' | grep -q partial || [ $i -ge 1000 ]; do sleep 0.01; i=$((i+1)); done; fallocate -l 3M '{disk}/filler') & ";

        var download = await RunOnSmallDiskAsync(pool, disk, "4m", filler, "--bwlimit-down", "8", "download", "/d/file.bin", Path.Combine(disk, "file.bin"));

        Assert.True(download.ExitCode == 7, download.ToString());
        Assert.Contains("filled up while /d/file.bin was downloaded to it; the partial file was removed", download.StdErr, StringComparison.Ordinal);
        Assert.Equal("left: filler", download.StdOut.Trim());
    }

    private static async Task<LocalPool> UploadedAsync(int bytes)
    {
        var pool = await LocalPool.CreateAsync(chunkSize: Chunk);
        var source = pool.Local("source.bin");
        await File.WriteAllBytesAsync(source, LocalPool.RandomBytes(bytes, 22));
        await pool.OkAsync("upload", source, "/d/file.bin");
        return pool;
    }

    /// <summary>Runs the command with a tmpfs of <paramref name="size"/> on <paramref name="disk"/> (a namespace of its own: nothing to unmount); prints what is left on it.</summary>
    private static async Task<CliResult> RunOnSmallDiskAsync(LocalPool pool, string disk, string size, string before, params string[] arguments)
    {
        Assert.SkipWhen(!await CanMountInANamespaceAsync(), "this machine does not allow a mount in a user namespace (unshare -rm)");
        string[] launcher = ["unshare", "-rm", "sh", "-c", $"mount -t tmpfs -o size={size} tmpfs '{disk}' && {before}\"$0\" \"$@\" >&2; code=$?; wait; echo left: $(ls -A '{disk}'); exit $code"];
        return await CliRunner.RunAsync(["--config", pool.ConfigPath, .. arguments], launcher: launcher);
    }

    private static async Task<bool> CanMountInANamespaceAsync()
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("unshare", ["-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"]) { RedirectStandardError = true })!;
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string[] LocalNames(LocalPool pool) =>
        [.. Directory.EnumerateFileSystemEntries(pool.Local(string.Empty)).Select(Path.GetFileName).Order(StringComparer.Ordinal).Cast<string>()];
}
