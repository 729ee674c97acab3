using RclonePool.Tests.Integration.Faults;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>
/// What 'upload' prints per file: a line per stored file for a few files, none for a directory of many (progress and the
/// summary say it), and every line again with --verbose.
/// </summary>
public sealed class CliUploadLinesTests
{
    private static async Task<string> DirectoryAsync(FaultPool pool, string name, int files)
    {
        for (var i = 0; i < files; i++)
        {
            await pool.WriteLocalAsync(Path.Combine(name, $"f{i:00}.bin"), LocalPool.RandomBytes(8192, i));
        }

        return pool.Local(name);
    }

    [Fact]
    public async Task A_directory_of_many_files_prints_the_summary_and_no_line_per_file()
    {
        await using var pool = await FaultPool.CreateAsync(local: 2);
        Directory.CreateDirectory(pool.Local("few"));
        Directory.CreateDirectory(pool.Local("many"));
        Directory.CreateDirectory(pool.Local("verbose"));

        var few = await pool.OkAsync("upload", await DirectoryAsync(pool, "few", 3), "/few");
        var many = await pool.OkAsync("upload", await DirectoryAsync(pool, "many", 20), "/many");
        var verbose = await pool.OkAsync("--verbose", "upload", await DirectoryAsync(pool, "verbose", 20), "/verbose");

        Assert.Equal(3, Lines(few.StdErr, "Stored /few/"));
        Assert.Equal(0, Lines(many.StdErr, "Stored /many/"));
        Assert.Contains("upload: 20 files stored under", many.StdErr, StringComparison.Ordinal);
        Assert.Equal(20, Lines(verbose.StdErr, "Stored /verbose/"));
        Assert.Equal(20, (await pool.OkAsync("ls", "/many")).StdOut.Split('\n').Count(l => l.Contains(".bin", StringComparison.Ordinal)));
    }

    private static int Lines(string text, string what) => text.Split('\n').Count(l => l.Contains(what, StringComparison.Ordinal));
}
