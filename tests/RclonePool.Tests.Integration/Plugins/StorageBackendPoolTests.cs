using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;
using RclonePool.Core.Plugins;

namespace RclonePool.Tests.Integration.Plugins;

/// <summary>
/// A pool of two local remotes through a real rclone and one remote served by the sample storage_backend plugin
/// (<c>plugin=directory</c>), two copies of every chunk: the plugin remote takes chunks, manifests and its descriptor; a
/// pool can be loaded from its manifests alone, verified and drained; with the plugin disabled it is a remote that is
/// down (reads fail over, health says why). And the sample chunker plugin sets each file's chunk size.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StorageBackendPoolTests
{
    private const int Chunk = BackendPool.Chunk;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Files_stored_over_rclone_remotes_and_a_plugin_remote_read_back_verify_and_load_from_the_plugins_manifests_alone()
    {
        using var backend = new BackendPool();
        byte[] big, small;
        await using (var pool = await backend.OpenAsync(backend.Config()))
        {
            big = await BackendPool.PutAsync(pool, "/media/big.bin", (12 * Chunk) + 77);
            small = await BackendPool.PutAsync(pool, "/notes/small.bin", Chunk + 5);

            Assert.NotEmpty(backend.StoreFiles("rclonepool_data"));
            Assert.Equal(2, backend.StoreFiles("rclonepool_manifests").Count);
            Assert.Equal(big, await BackendPool.ReadAsync(pool, "/media/big.bin"));
            await using (var range = await pool.OpenReadAsync(PoolPath.Parse("/media/big.bin"), (3L * Chunk) - 10, Chunk + 20, Ct))
            {
                var read = new MemoryStream();
                await range.CopyToAsync(read, Ct);
                Assert.Equal(big.AsSpan((3 * Chunk) - 10, Chunk + 20).ToArray(), read.ToArray());
            }

            var verify = await new Verifier(pool).VerifyAsync(new VerifyOptions(), Ct);
            Assert.True(verify.Clean, string.Join("; ", verify.Damage));
            Assert.Equal(2, verify.Files);
            var health = await new HealthChecker(pool).CheckAsync(PoolPath.Root, new HealthOptions(), Ct);
            Assert.True(health.Healthy, health.Summary());
            Assert.True(Assert.Single(health.Remotes, r => r.Name == BackendPool.PluginRemote).ObjectsPresent > 0);
        }

        // Only the plugin remote keeps manifests, and the index is new: the pool is loaded from the plugin's manifests.
        foreach (var local in new[] { "r1", "r2" })
        {
            Directory.Delete(Path.Combine(backend.Root, local, "rclonepool_manifests"), recursive: true);
        }

        var fresh = backend.Config();
        fresh.ManifestCacheDir = Path.Combine(backend.Root, "cache-fresh");
        await using (var pool = await backend.OpenAsync(fresh))
        {
            var files = new List<string>();
            await foreach (var entry in pool.ListAsync(PoolPath.Root, recursive: true, Ct))
            {
                files.Add(entry.Path.Value);
            }

            Assert.Contains("/media/big.bin", files);
            Assert.Contains("/notes/small.bin", files);
            Assert.Equal(small, await BackendPool.ReadAsync(pool, "/notes/small.bin"));

            // index rebuild puts the missing manifest copies back on the rclone remotes.
            await new IndexRebuilder(pool).RebuildAsync(Ct);
            Assert.True(Directory.EnumerateFiles(Path.Combine(backend.Root, "r1", "rclonepool_manifests"), "*", SearchOption.AllDirectories).Any());
            Assert.Equal(big, await BackendPool.ReadAsync(pool, "/media/big.bin"));
        }
    }

    [Fact]
    public async Task Draining_the_plugin_remote_moves_every_chunk_off_it_and_the_files_stay_whole()
    {
        using var backend = new BackendPool();
        byte[] data;
        await using (var pool = await backend.OpenAsync(backend.Config()))
        {
            data = await BackendPool.PutAsync(pool, "/drain.bin", (10 * Chunk) + 3);
            Assert.NotEmpty(backend.StoreFiles("rclonepool_data"));
        }

        var draining = backend.Config();
        draining.DrainingRemotes = [BackendPool.PluginRemote];
        await using (var pool = await backend.OpenAsync(draining))
        {
            var report = await new Rebalancer(pool).RebalanceAsync(new RebalanceOptions { Drain = true }, Ct);

            Assert.Empty(backend.StoreFiles("rclonepool_data"));
            Assert.Equal(data, await BackendPool.ReadAsync(pool, "/drain.bin"));
            var verify = await new Verifier(pool).VerifyAsync(new VerifyOptions(), Ct);
            Assert.True(verify.Clean, string.Join("; ", verify.Damage) + " after " + report);
        }
    }

    [Fact]
    public async Task With_the_plugin_disabled_its_remote_is_down_reads_fail_over_and_health_says_why()
    {
        using var backend = new BackendPool();
        byte[] data;
        await using (var pool = await backend.OpenAsync(backend.Config()))
        {
            data = await BackendPool.PutAsync(pool, "/copies.bin", (8 * Chunk) + 9);
        }

        Assert.NotEmpty(backend.StoreFiles("rclonepool_data"));
        var disabled = backend.Config("chunker:tiered"); // the directory plugin is no longer enabled
        await using (var pool = await backend.OpenAsync(disabled))
        {
            Assert.IsType<MissingStorageBackend>(pool.Plugins!.StorageBackends[BackendPool.PluginRemote]);
            Assert.Equal(data, await BackendPool.ReadAsync(pool, "/copies.bin"));

            var health = await new HealthChecker(pool).CheckAsync(PoolPath.Root, new HealthOptions(), Ct);
            var remote = Assert.Single(health.Remotes, r => r.Name == BackendPool.PluginRemote);
            Assert.False(remote.Reachable);
            Assert.Contains("the plugin storage_backend:directory is not enabled", remote.Error, StringComparison.Ordinal);
            Assert.Contains("rclonepool plugins enable storage_backend:directory", remote.Error, StringComparison.Ordinal);
            Assert.False(health.Healthy);
            Assert.Contains(backend.Messages, m => m.Contains("plugin=directory cannot be reached: the plugin storage_backend:directory is not enabled", StringComparison.Ordinal));

            // New files still go to the remotes that answer.
            var more = await BackendPool.PutAsync(pool, "/later.bin", (2 * Chunk) + 1);
            Assert.Equal(more, await BackendPool.ReadAsync(pool, "/later.bin"));
        }
    }

    [Fact]
    public async Task The_sample_chunker_sets_the_chunk_size_of_large_files_and_a_wrong_answer_falls_back_to_chunk_size()
    {
        using var backend = new BackendPool();
        var config = backend.Config("storage_backend:directory", "chunker:tiered");
        config.PluginSettings["chunker:tiered"] = new() { ["large_from"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), ["large_chunk_size"] = (4 * Chunk).ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await using (var pool = await backend.OpenAsync(config))
        {
            var large = await BackendPool.PutAsync(pool, "/large.bin", (12 * Chunk) + 1);
            var smaller = await BackendPool.PutAsync(pool, "/smaller.bin", (3 * Chunk) + 1);

            var largeManifest = await pool.Context.Index.GetAsync(PoolPath.Parse("/large.bin"), Ct);
            Assert.Equal(4 * Chunk, largeManifest!.ChunkSize);
            Assert.Equal(4, largeManifest.Chunks.Count);
            var smallerManifest = await pool.Context.Index.GetAsync(PoolPath.Parse("/smaller.bin"), Ct);
            Assert.Equal(Chunk, smallerManifest!.ChunkSize);
            Assert.Equal(4, smallerManifest.Chunks.Count);
            Assert.Equal(large, await BackendPool.ReadAsync(pool, "/large.bin"));
            Assert.Equal(smaller, await BackendPool.ReadAsync(pool, "/smaller.bin"));
        }

        var wrong = backend.Config("storage_backend:directory", "chunker:tiered");
        wrong.PluginSettings["chunker:tiered"] = new() { ["large_from"] = "0", ["large_chunk_size"] = "300000" };
        await using (var pool = await backend.OpenAsync(wrong))
        {
            await BackendPool.PutAsync(pool, "/fallback.bin", (3 * Chunk) + 1);

            var manifest = await pool.Context.Index.GetAsync(PoolPath.Parse("/fallback.bin"), Ct);
            Assert.Equal(Chunk, manifest!.ChunkSize);
            Assert.Equal(4, manifest.Chunks.Count);
            Assert.Contains(backend.Messages, m => m.Contains("Plugin chunker:tiered failed (it answered the chunk size 300000, which is not a multiple of the hash block size 262144)", StringComparison.Ordinal));
        }

        // Content-defined chunking finds its own boundaries: the plugin is not asked, and the log says why, once.
        var cdc = backend.Config("storage_backend:directory", "chunker:tiered");
        cdc.Chunking = "cdc";
        cdc.EnableDeduplication = true;
        await using (var pool = await backend.OpenAsync(cdc))
        {
            Assert.Null(pool.Plugins!.Chunker);
            Assert.Single(backend.Messages, m => m.Contains("Chunker plugin chunker:tiered is not asked: chunking is cdc", StringComparison.Ordinal));
        }
    }
}
