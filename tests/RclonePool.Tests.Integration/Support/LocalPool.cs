using System.Text.Json.Nodes;

namespace RclonePool.Tests.Integration.Support;

/// <summary>
/// A pool of local-directory remotes in a temporary directory, with its own config and index, driven through
/// the real CLI against real rclone.
/// </summary>
public sealed class LocalPool : IAsyncDisposable
{
    private LocalPool(string root, IReadOnlyList<string> remotes)
    {
        Root = root;
        Remotes = remotes;
    }

    public string Root { get; }

    public IReadOnlyList<string> Remotes { get; }

    public string ConfigPath => Path.Combine(Root, "config.json");

    public string CacheDir => Path.Combine(Root, "cache");

    public string Local(string name) => Path.Combine(Root, "local", name);

    /// <summary>Creates the directories and the config (and runs init unless told not to).</summary>
    public static async Task<LocalPool> CreateAsync(int remotes = 3, long chunkSize = 256 * 1024, bool daemon = true, Action<JsonObject>? configure = null, bool init = true)
    {
        var root = Path.Combine(Path.GetTempPath(), "rclonepool-it-" + Guid.NewGuid().ToString("N")[..12]);
        var dirs = Enumerable.Range(1, remotes).Select(i => Path.Combine(root, "remotes", $"r{i}")).ToList();
        foreach (var dir in dirs)
        {
            Directory.CreateDirectory(dir);
        }

        Directory.CreateDirectory(Path.Combine(root, "local"));
        var config = new JsonObject
        {
            ["remotes"] = new JsonArray([.. dirs.Select(d => (JsonNode)d)]),
            ["chunk_size"] = chunkSize,
            ["manifest_cache_dir"] = Path.Combine(root, "cache"),
            ["temp_dir"] = Path.Combine(root, "tmp"),
            ["enable_rclone_daemon"] = daemon,
            ["show_progress"] = false,
            ["retry_delay"] = 0.05,
        };
        configure?.Invoke(config);
        await File.WriteAllTextAsync(Path.Combine(root, "config.json"), config.ToJsonString());
        var pool = new LocalPool(root, dirs);
        if (init)
        {
            var result = await pool.RunAsync("init");
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        return pool;
    }

    public Task<CliResult> RunAsync(params string[] arguments) => CliRunner.RunAsync(["--config", ConfigPath, .. arguments]);

    public Task<CliResult> RunWithInputAsync(byte[] stdin, params string[] arguments) => CliRunner.RunAsync(["--config", ConfigPath, .. arguments], stdin);

    /// <summary>Runs a command that must succeed.</summary>
    public async Task<CliResult> OkAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"rclonepool {string.Join(' ', arguments)}: {result}");
        return result;
    }

    /// <summary>Every file under the remotes' directories, relative to the remotes root, with its bytes' length.</summary>
    public SortedDictionary<string, long> RemoteFiles()
    {
        var remotesRoot = Path.Combine(Root, "remotes");
        var files = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(remotesRoot, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(remotesRoot, file)] = new FileInfo(file).Length;
        }

        return files;
    }

    public IEnumerable<string> ChunkFiles() => RemoteFiles().Keys.Where(k => k.Contains("rclonepool_data", StringComparison.Ordinal));

    public IEnumerable<string> ManifestFiles() => RemoteFiles().Keys.Where(k => k.Contains("rclonepool_manifests", StringComparison.Ordinal));

    public static byte[] RandomBytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}
