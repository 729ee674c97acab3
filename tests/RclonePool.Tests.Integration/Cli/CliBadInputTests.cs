using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>Every bad input gets one clear sentence on stderr, a documented non-zero exit code, and changes nothing.</summary>
public sealed class CliBadInputTests
{
    private static async Task AssertRefusedAsync(LocalPool pool, int exitCode, string expectedText, params string[] arguments)
    {
        var before = pool.RemoteFiles();
        var result = await pool.RunAsync(arguments);
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}: {result}");
        Assert.Contains(expectedText, result.StdErr, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("rclonepool: ", result.StdErr.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, pool.RemoteFiles());
    }

    [Fact]
    public async Task Local_sources_that_do_not_exist_are_refused()
    {
        await using var pool = await LocalPool.CreateAsync();
        await AssertRefusedAsync(pool, 2, "does not exist", "upload", pool.Local("missing.bin"), "/x");
    }

    [Theory]
    [InlineData("/a/../../etc/passwd")]
    [InlineData("/a/\u0001b")]
    [InlineData("/a\\b")]
    public async Task Pool_paths_that_escape_or_carry_control_characters_are_refused(string path)
    {
        await using var pool = await LocalPool.CreateAsync();
        await File.WriteAllBytesAsync(pool.Local("f"), [1, 2, 3]);
        await AssertRefusedAsync(pool, 2, "pool path", "upload", pool.Local("f"), path);
    }

    [Fact]
    public async Task Missing_pool_files_are_reported_as_not_found()
    {
        await using var pool = await LocalPool.CreateAsync();
        await AssertRefusedAsync(pool, 3, "does not exist", "download", "/nope.bin", pool.Local("out"));
        await AssertRefusedAsync(pool, 3, "does not exist", "cat", "/nope.bin");
        await AssertRefusedAsync(pool, 3, "does not exist", "delete", "/nope.bin");
        Assert.False(File.Exists(pool.Local("out")));
    }

    [Fact]
    public async Task A_download_into_a_missing_local_directory_is_refused_and_writes_nothing()
    {
        await using var pool = await LocalPool.CreateAsync();
        await File.WriteAllBytesAsync(pool.Local("f"), [1, 2, 3]);
        await pool.OkAsync("upload", pool.Local("f"), "/f");
        await AssertRefusedAsync(pool, 2, "does not exist", "download", "/f", pool.Local("no/such/dir/f"));
    }

    [Fact]
    public async Task Deleting_a_non_empty_directory_needs_r()
    {
        await using var pool = await LocalPool.CreateAsync();
        await File.WriteAllBytesAsync(pool.Local("f"), [1, 2, 3]);
        await pool.OkAsync("upload", pool.Local("f"), "/d/f");
        await AssertRefusedAsync(pool, 4, "-r", "delete", "/d");
    }

    [Fact]
    public async Task An_unknown_config_key_is_refused_with_a_suggestion()
    {
        await using var pool = await LocalPool.CreateAsync(configure: c => c["chunk_sise"] = 1024, init: false);
        var result = await pool.RunAsync("ls");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("chunk_sise", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("did you mean 'chunk_size'", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_config_is_refused_naming_the_file()
    {
        await using var pool = await LocalPool.CreateAsync();
        await File.WriteAllTextAsync(pool.ConfigPath, "{ \"remotes\": [ ");
        var result = await pool.RunAsync("ls");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(pool.ConfigPath, result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_config_says_to_run_init()
    {
        var result = await CliRunner.RunAsync(["--config", Path.Combine(Path.GetTempPath(), "no-such-rclonepool-config.json"), "ls"]);
        Assert.Equal(8, result.ExitCode);
        Assert.Contains("rclonepool init", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_refuses_unknown_remotes_and_writes_nothing()
    {
        var config = Path.Combine(Path.GetTempPath(), "rclonepool-it-" + Guid.NewGuid().ToString("N") + ".json");
        var result = await CliRunner.RunAsync(["--config", config, "init", "--remote", "no-such-remote-xyz:", "--remote", "/tmp"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no-such-remote-xyz", result.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(config));
    }

    [Fact]
    public async Task Init_refuses_a_remote_named_twice()
    {
        var config = Path.Combine(Path.GetTempPath(), "rclonepool-it-" + Guid.NewGuid().ToString("N") + ".json");
        var dir = Directory.CreateTempSubdirectory("rclonepool-it-").FullName;
        var result = await CliRunner.RunAsync(["--config", config, "init", "--remote", dir, "--remote", dir + "/"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("twice", result.StdErr, StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(config));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    [Fact]
    public async Task A_remote_of_another_pool_is_refused()
    {
        await using var first = await LocalPool.CreateAsync(remotes: 2);
        await using var second = await LocalPool.CreateAsync(remotes: 2);
        var config = Path.Combine(Path.GetTempPath(), "rclonepool-it-" + Guid.NewGuid().ToString("N") + ".json");
        var result = await CliRunner.RunAsync(["--config", config, "init", "--remote", first.Remotes[0], "--remote", second.Remotes[0]]);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("different pools", result.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(config));
    }

    [Fact]
    public async Task A_missing_rclone_binary_says_how_to_install_it()
    {
        await using var pool = await LocalPool.CreateAsync(configure: c => c["rclone_binary"] = "/nonexistent/rclone", init: false);
        var result = await pool.RunAsync("ls");
        Assert.Equal(8, result.ExitCode);
        Assert.Contains("apt-get install rclone", result.StdErr, StringComparison.Ordinal);
    }
}
