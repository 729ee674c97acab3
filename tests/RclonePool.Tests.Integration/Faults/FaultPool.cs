using System.Diagnostics;
using System.Text.Json.Nodes;
using RclonePool.Core.Manifests;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// A pool for fault tests: remotes that are local directories, loopback WebDAV servers or tmpfs mounts, each with the
/// local directory that holds its objects (to inspect and damage), its own config, rclone config and index, driven
/// through the real CLI against real rclone.
/// </summary>
public sealed class FaultPool : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private FaultPool(string root) => Root = root;

    public string Root { get; }

    public string ConfigPath => Path.Combine(Root, "config.json");

    public string RcloneConfigPath => Path.Combine(Root, "rclone.conf");

    /// <summary>The pool remotes as the config names them, with the directory holding each one's objects.</summary>
    public List<(string Spec, string Directory)> Remotes { get; } = [];

    public string Local(string name) => Path.Combine(Root, "local", name);

    public static string NewRoot() => Path.Combine(Path.GetTempPath(), "rclonepool-fault-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>A pool of <paramref name="local"/> local-directory remotes plus the given WebDAV servers (and extra directories such as tmpfs mounts).</summary>
    public static async Task<FaultPool> CreateAsync(
        string? root = null, int local = 2, IReadOnlyList<LoopbackWebDav>? webdav = null, IReadOnlyList<string>? directories = null,
        long chunkSize = 64 * 1024, Action<JsonObject>? configure = null, bool init = true)
    {
        var pool = new FaultPool(root ?? NewRoot());
        Directory.CreateDirectory(Path.Combine(pool.Root, "local"));
        for (var i = 1; i <= local; i++)
        {
            var dir = Path.Combine(pool.Root, "remotes", $"r{i}");
            Directory.CreateDirectory(dir);
            pool.Remotes.Add((dir, dir));
        }

        foreach (var dir in directories ?? [])
        {
            pool.Remotes.Add((dir, dir));
        }

        var rcloneConfig = "";
        for (var i = 0; i < (webdav?.Count ?? 0); i++)
        {
            rcloneConfig += webdav![i].ConfigSection($"dav{i + 1}") + "\n";
            pool.Remotes.Add(($"dav{i + 1}:", webdav[i].Directory));
        }

        await File.WriteAllTextAsync(pool.RcloneConfigPath, rcloneConfig);
        var config = new JsonObject
        {
            ["remotes"] = new JsonArray([.. pool.Remotes.Select(r => (JsonNode)r.Spec)]),
            ["chunk_size"] = chunkSize,
            ["manifest_cache_dir"] = Path.Combine(pool.Root, "cache"),
            ["temp_dir"] = Path.Combine(pool.Root, "tmp"),
            ["show_progress"] = false,
            ["retry_delay"] = 0.05,
            ["max_retries"] = 2,
            ["rclone_flags"] = new JsonArray("--low-level-retries", "1", "--contimeout", "2s", "--timeout", "10s"),
        };
        configure?.Invoke(config);
        await File.WriteAllTextAsync(pool.ConfigPath, config.ToJsonString());
        if (init)
        {
            await pool.OkAsync("init");
        }

        return pool;
    }

    /// <summary>Servers and mounts the pool owns.</summary>
    public IReadOnlyList<IAsyncDisposable> Owned => _owned;

    /// <summary>Keeps <paramref name="resource"/> (a server, a mount) alive with the pool and disposes it after.</summary>
    public T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public Dictionary<string, string> Environment => new() { ["RCLONE_CONFIG"] = RcloneConfigPath };

    public Task<CliResult> RunAsync(params string[] arguments) => CliRunner.RunAsync(["--config", ConfigPath, .. arguments], environment: Environment);

    /// <summary>Runs a command and fails the test unless it ends within <paramref name="limit"/>.</summary>
    public async Task<CliResult> RunWithinAsync(TimeSpan limit, params string[] arguments)
    {
        var clock = Stopwatch.StartNew();
        var result = await RunAsync(arguments);
        Assert.True(clock.Elapsed < limit, $"rclonepool {string.Join(' ', arguments)} took {clock.Elapsed.TotalSeconds:0.0} s (limit {limit.TotalSeconds:0} s): {result}");
        return result;
    }

    public async Task<CliResult> OkAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        Assert.True(result.ExitCode == 0, $"rclonepool {string.Join(' ', arguments)}: {result}");
        return result;
    }

    public async Task<string> WriteLocalAsync(string name, byte[] data)
    {
        var path = Local(name);
        await File.WriteAllBytesAsync(path, data);
        return path;
    }

    /// <summary>Every chunk object on every remote (full local paths).</summary>
    public IEnumerable<string> ChunkFiles() =>
        Remotes.SelectMany(r => Files(Path.Combine(r.Directory, "rclonepool_data")));

    /// <summary>The chunk objects of the remote whose objects are in <paramref name="directory"/>.</summary>
    public IEnumerable<string> ChunkFilesOn(string directory) => Files(Path.Combine(directory, "rclonepool_data"));

    /// <summary>Every manifest object on every remote (full local paths).</summary>
    public IEnumerable<string> ManifestFiles() =>
        Remotes.SelectMany(r => Directory.Exists(Path.Combine(r.Directory, "rclonepool_manifests"))
            ? Directory.EnumerateFiles(Path.Combine(r.Directory, "rclonepool_manifests"))
            : []);

    /// <summary>
    /// Every readable manifest copy on the remotes, as single objects and as records of packs (manifest_packing, the
    /// default), with the object it came from, except the revisions a tombstone on some remote hides: what a survey of
    /// the remotes (index rebuild, orphans) takes for the pool's manifests. Unreadable copies are left out.
    /// </summary>
    public IReadOnlyList<(string File, Manifest Manifest)> LiveManifests()
    {
        var poolId = PoolId();
        var deleted = new Dictionary<string, long>(StringComparer.Ordinal);
        var manifests = new List<(string File, Manifest Manifest)>();
        foreach (var file in ManifestFiles())
        {
            IEnumerable<byte[]> records;
            try
            {
                if (!ManifestNames.IsPackName(Path.GetFileName(file)))
                {
                    records = [File.ReadAllBytes(file)];
                }
                else
                {
                    var pack = ManifestPack.Parse(File.ReadAllBytes(file), poolId, file);
                    foreach (var tombstone in pack.Where(r => r.IsTombstone))
                    {
                        deleted[tombstone.FileId] = Math.Max(tombstone.Revision, deleted.GetValueOrDefault(tombstone.FileId));
                    }

                    records = pack.Where(r => !r.IsTombstone).Select(r => r.Bytes);
                }
            }
            catch (Core.Errors.PoolException)
            {
                continue;
            }

            foreach (var bytes in records)
            {
                try
                {
                    manifests.Add((file, ManifestSerializer.Deserialize(bytes, file)));
                }
                catch (Core.Errors.PoolException)
                {
                }
            }
        }

        return [.. manifests.Where(m => !(deleted.TryGetValue(m.Manifest.FileId, out var upTo) && m.Manifest.Revision <= upTo))];
    }

    /// <summary>The pool id, from the first remote's pool descriptor that can be read.</summary>
    public string PoolId() =>
        Remotes.Select(r => Path.Combine(r.Directory, ManifestNames.DescriptorName)).Where(File.Exists)
            .Select(d => JsonNode.Parse(File.ReadAllText(d))!["pool_id"]!.GetValue<string>()).FirstOrDefault() ?? string.Empty;

    /// <summary>
    /// The chunk files that the current revision of each file on the remotes (the newest not deleted, single or packed)
    /// names, as full local paths: what `orphans --delete --min-age 0` keeps. An older revision's record can stay inside
    /// a pack until a compaction drops it, after orphans removed the chunks only it named.
    /// </summary>
    public HashSet<string> ReferencedChunkFiles()
    {
        var byName = Remotes.ToDictionary(r => r.Spec, r => r.Directory, StringComparer.Ordinal);
        return [.. LiveManifests().GroupBy(m => m.Manifest.FileId, StringComparer.Ordinal).Select(g => g.MaxBy(m => m.Manifest.Revision).Manifest)
            .SelectMany(m => m.Chunks).SelectMany(c => c.Locations).Select(l => Path.Combine(byName[l.Remote], l.Object))];
    }

    /// <summary>The current manifest of a pool file as the remotes hold it (from disk, single or packed).</summary>
    public Manifest ManifestOf(string poolPath) =>
        LiveManifests().Select(m => m.Manifest)
            .Where(m => m.Path == poolPath)
            .MaxBy(m => m.Revision) ?? throw new InvalidOperationException($"No manifest of {poolPath} on the remotes.");

    /// <summary>The local path of a chunk location's object.</summary>
    public string ObjectFile(ChunkLocation location) => Path.Combine(Remotes.Single(r => r.Spec == location.Remote).Directory, location.Object);

    public async ValueTask DisposeAsync()
    {
        foreach (var resource in Enumerable.Reverse(_owned))
        {
            await resource.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static IEnumerable<string> Files(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories) : [];
}
