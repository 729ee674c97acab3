using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>
/// <c>ls</c> reads the local index on its own once this machine has opened the pool: it answers with the remotes gone,
/// prints what it printed through the pool, and opens the pool (asking the remotes) when it knows no index.
/// </summary>
public sealed class CliLsTests
{
    [Fact]
    public async Task Ls_lists_from_the_local_index_without_asking_the_remotes()
    {
        await using var pool = await LocalPool.CreateAsync(daemon: false);
        await File.WriteAllBytesAsync(pool.Local("a.bin"), LocalPool.RandomBytes(1000, 1), TestContext.Current.CancellationToken);
        await pool.OkAsync("upload", pool.Local("a.bin"), "/dir/a.bin");
        await pool.OkAsync("upload", pool.Local("a.bin"), "/dir/sub/b.bin");
        var before = (await pool.OkAsync("ls", "-l", "-R", "/")).StdOut;

        // Every remote out of reach: a command that opens the pool fails, ls still answers from the index.
        foreach (var remote in pool.Remotes)
        {
            Directory.Move(remote, remote + ".away");
        }

        try
        {
            Assert.Equal(before, (await pool.OkAsync("ls", "-l", "-R", "/")).StdOut);
            Assert.Equal("a.bin\nsub/\n", (await pool.OkAsync("ls", "/dir")).StdOut);
            Assert.Equal("/dir/a.bin\n", (await pool.OkAsync("ls", "/dir/a.bin")).StdOut);
            var missing = await pool.RunAsync("ls", "/nope");
            Assert.True(missing.ExitCode != 0, missing.ToString());
            Assert.Contains("/nope", missing.StdErr, StringComparison.Ordinal);
            var info = await pool.RunAsync("info", "/dir/a.bin");
            Assert.True(info.ExitCode != 0, info.ToString());
        }
        finally
        {
            foreach (var remote in pool.Remotes)
            {
                Directory.Move(remote + ".away", remote);
            }
        }
    }

    [Fact]
    public async Task Without_a_known_index_ls_opens_the_pool_and_prints_the_same()
    {
        await using var pool = await LocalPool.CreateAsync(daemon: false);
        await File.WriteAllBytesAsync(pool.Local("a.bin"), LocalPool.RandomBytes(10, 2), TestContext.Current.CancellationToken);
        await pool.OkAsync("upload", pool.Local("a.bin"), "/x/y.bin");
        var fromIndex = (await pool.OkAsync("ls", "-R", "--json", "/")).StdOut;

        foreach (var record in Directory.GetFiles(pool.CacheDir, "*.pool-id"))
        {
            File.Delete(record);
        }

        Assert.Equal(fromIndex, (await pool.OkAsync("ls", "-R", "--json", "/")).StdOut);
        Assert.Single(Directory.GetFiles(pool.CacheDir, "*.pool-id")); // the open remembered it again
    }
}
