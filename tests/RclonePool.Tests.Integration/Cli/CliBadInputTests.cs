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

    /// <summary>Root reads any file; this runs the CLI without the capabilities that allow it, so modes count.</summary>
    private static readonly string[] WithoutRootOverride = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"];

    private static async Task<CliResult> RunWithoutRootOverrideAsync(LocalPool pool, params string[] arguments) =>
        await CliRunner.RunAsync(["--config", pool.ConfigPath, .. arguments], launcher: WithoutRootOverride);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Unreadable_local_files_are_refused_before_anything_is_uploaded()
    {
        Tools.Require("setpriv");
        await using var pool = await LocalPool.CreateAsync();
        Directory.CreateDirectory(pool.Local("tree"));
        await File.WriteAllBytesAsync(pool.Local("tree/a"), [1, 2, 3]);
        await File.WriteAllBytesAsync(pool.Local("tree/b"), [4, 5, 6]);
        File.SetUnixFileMode(pool.Local("tree/b"), UnixFileMode.None);
        var before = pool.RemoteFiles();

        foreach (var source in new[] { pool.Local("tree/b"), pool.Local("tree") })
        {
            var result = await RunWithoutRootOverrideAsync(pool, "upload", source, "/t");
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("cannot be read (permission denied)", result.StdErr, StringComparison.Ordinal);
            Assert.StartsWith("rclonepool: ", result.StdErr.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
        }

        await pool.OkAsync("upload", pool.Local("tree/a"), "/a");
        var repair = await RunWithoutRootOverrideAsync(pool, "repair", "/a", pool.Local("tree/b"));
        Assert.Equal(2, repair.ExitCode);
        Assert.Contains("cannot be read", repair.StdErr, StringComparison.Ordinal);
        Assert.Equal(before.Count + 3, pool.RemoteFiles().Count); // three manifest copies; the 3 bytes live inside them
    }

    [Fact]
    public async Task Directories_where_files_are_expected_are_refused()
    {
        await using var pool = await LocalPool.CreateAsync();
        await File.WriteAllBytesAsync(pool.Local("f"), [1, 2, 3]);
        await pool.OkAsync("upload", pool.Local("f"), "/d/f");
        await AssertRefusedAsync(pool, 2, "is a directory", "repair", "/d/f", pool.Root);
        await AssertRefusedAsync(pool, 2, "is a directory", "repair", "/d", pool.Local("f"));
        await AssertRefusedAsync(pool, 2, "is a directory", "cat", "/d");
    }

    [Fact]
    public async Task Robustness_commands_refuse_bad_paths_and_options()
    {
        await using var pool = await LocalPool.CreateAsync();
        await File.WriteAllBytesAsync(pool.Local("f"), [1, 2, 3]);
        await AssertRefusedAsync(pool, 2, "pool path", "verify", "/a/../../etc");
        await AssertRefusedAsync(pool, 2, "pool path", "repair", "/a\u0001b", pool.Local("f"));
        await AssertRefusedAsync(pool, 3, "does not exist", "verify", "/nope");
        await AssertRefusedAsync(pool, 3, "does not exist", "repair", "/nope", pool.Local("f"));
        await AssertRefusedAsync(pool, 2, "does not exist", "repair", "/nope", pool.Local("missing"));
        await AssertRefusedAsync(pool, 2, "--min-age", "orphans", "--min-age", "soon");
    }

    [Fact]
    public async Task A_remote_missing_from_rclones_config_is_named()
    {
        await using var pool = await LocalPool.CreateAsync(configure: c => ((System.Text.Json.Nodes.JsonArray)c["remotes"]!).Add("no-such-remote-xyz:"), init: false);
        var result = await pool.RunAsync("ls");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("\"no-such-remote-xyz:\" is not defined in rclone's config", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_rclone_that_does_not_run_is_a_clear_environment_error()
    {
        await using var pool = await LocalPool.CreateAsync(configure: c => c["rclone_binary"] = "/bin/false", init: false);
        var result = await pool.RunAsync("ls");
        Assert.Equal(8, result.ExitCode);
        Assert.Contains("rclone rcd exited during start-up", result.StdErr, StringComparison.Ordinal);
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
