using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>
/// <c>download</c> to a file: chunks fetched in parallel into a sparse temporary file beside the destination, written in
/// 1 MiB pieces, renamed into place only when every byte is verified.
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

    private static string[] LocalNames(LocalPool pool) =>
        [.. Directory.EnumerateFileSystemEntries(pool.Local(string.Empty)).Select(Path.GetFileName).Order(StringComparer.Ordinal).Cast<string>()];
}
