using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Unit.Support;

namespace RclonePool.Tests.Unit.Pool;

public sealed class StoragePoolTests
{
    private const int Chunk = 64 * 1024;
    private static readonly CancellationToken None = CancellationToken.None;

    private static byte[] Random(int length, int seed = 1)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static async Task<byte[]> ReadAllAsync(IPoolFileSystem pool, string path, long offset = 0, long count = -1)
    {
        await using var stream = await pool.OpenReadAsync(PoolPath.Parse(path), offset, count, None);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData((5 * Chunk) + 12345)]
    public async Task Files_of_every_size_round_trip_bit_exact(int size)
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        var data = Random(size);
        await test.Pool.PutAsync(PoolPath.Parse("/d/f.bin"), new MemoryStream(data), data.Length, PutOptions.Default, None);

        Assert.Equal(data, await ReadAllAsync(test.Pool, "/d/f.bin"));
        var entry = await test.Pool.StatAsync(PoolPath.Parse("/d/f.bin"), None);
        Assert.Equal(size, entry!.Size);
    }

    [Fact]
    public async Task Chunks_are_spread_over_the_remotes_and_manifests_are_on_every_remote()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        var data = Random(6 * Chunk);
        await test.Pool.PutAsync(PoolPath.Parse("/f"), new MemoryStream(data), data.Length, PutOptions.Default, None);

        foreach (var remote in new[] { "a:", "b:", "c:" })
        {
            Assert.Equal(2, store.Keys(remote, "rclonepool_data").Count());
            Assert.Single(store.Keys(remote, "rclonepool_manifests"));
        }
    }

    [Fact]
    public async Task Ranged_reads_return_exactly_the_requested_bytes()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        var data = Random((3 * Chunk) + 100, 3);
        await test.Pool.PutAsync(PoolPath.Parse("/f"), new MemoryStream(data), data.Length, PutOptions.Default, None);

        foreach (var (offset, count) in new (int, int)[] { (0, 1), (Chunk - 5, 10), (Chunk * 2, Chunk + 50), (data.Length - 3, 100), (17, 0) })
        {
            var expected = data.AsSpan(offset, Math.Min(count, data.Length - offset)).ToArray();
            Assert.Equal(expected, await ReadAllAsync(test.Pool, "/f", offset, count));
        }
    }

    [Fact]
    public async Task A_corrupt_chunk_is_reported_naming_file_chunk_and_remote_never_served()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        var data = Random(2 * Chunk);
        await test.Pool.PutAsync(PoolPath.Parse("/f"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        var manifest = await test.Pool.GetManifestAsync(PoolPath.Parse("/f"), None);
        var location = manifest!.Chunks[1].Locations[0];
        var key = Core.Remotes.RemotePath.Join(location.Remote, location.Object);
        store.Objects[key][100] ^= 1;

        var e = await Assert.ThrowsAsync<PoolException>(() => ReadAllAsync(test.Pool, "/f"));
        Assert.Equal(PoolErrorKind.Integrity, e.Kind);
        Assert.Contains("Chunk 1 of /f", e.Message, StringComparison.Ordinal);
        Assert.Contains(location.Remote, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_seekable_sources_of_unknown_length_are_spooled_and_stored()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        var data = Random((2 * Chunk) + 7);
        await test.Pool.PutAsync(PoolPath.Parse("/s"), new NonSeekableStream(data), -1, PutOptions.Default, None);
        Assert.Equal(data, await ReadAllAsync(test.Pool, "/s"));
    }

    [Fact]
    public async Task A_stream_shorter_than_announced_stores_nothing()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        var data = Random(3 * Chunk);
        var e = await Assert.ThrowsAsync<PoolException>(() => test.Pool.PutAsync(PoolPath.Parse("/short"), new NonSeekableStream(data), data.Length + 10, PutOptions.Default, None));
        Assert.Contains("ended after", e.Message, StringComparison.Ordinal);
        Assert.Null(await test.Pool.StatAsync(PoolPath.Parse("/short"), None));
        Assert.DoesNotContain(store.Objects.Keys, k => k.Contains("rclonepool_data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_overwrite_leaves_the_old_version_readable_and_no_new_chunks()
    {
        var memory = new InMemoryRemoteStore("a:", "b:", "c:");
        var faulty = new FaultyRemoteStore(memory) { FailureKind = PoolErrorKind.Integrity };
        await using var test = await TestPool.CreateAsync(faulty);
        var old = Random(3 * Chunk, 1);
        await test.Pool.PutAsync(PoolPath.Parse("/f"), new MemoryStream(old), old.Length, PutOptions.Default, None);
        var before = memory.Objects.Keys.ToHashSet();

        faulty.FailWriteNumber = memory.Writes + 3;
        var replacement = Random(3 * Chunk, 2);
        await Assert.ThrowsAsync<PoolException>(() => test.Pool.PutAsync(PoolPath.Parse("/f"), new MemoryStream(replacement), replacement.Length, PutOptions.Default, None));

        Assert.Equal(old, await ReadAllAsync(test.Pool, "/f"));
        Assert.Equal(before, memory.Objects.Keys.ToHashSet());
    }

    /// <summary>
    /// Ctrl-C while the manifest of an upload is being written, the remotes completing the writes already sent: the
    /// manifest write is the commit point, so the file is stored whole, never a manifest naming chunks that were removed.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Cancelled_while_its_manifest_is_written_an_upload_is_stored_whole(int cancelAt)
    {
        var memory = new InMemoryRemoteStore("a:", "b:", "c:");
        var script = new ScriptedRemoteStore(memory);
        var directory = Path.Combine(Path.GetTempPath(), "rclonepool-unit-" + Guid.NewGuid().ToString("N"));
        var data = Random(3 * Chunk);
        using var stop = new CancellationTokenSource();
        await using (var first = await TestPool.CreateAsync(script, directory: directory))
        {
            var manifests = 0;
            script.WritesOutliveCancellation = true;
            script.Fail = (op, target) =>
            {
                if (op == "write" && target.Path.StartsWith("rclonepool_manifests/", StringComparison.Ordinal) && Interlocked.Increment(ref manifests) == cancelAt)
                {
                    stop.Cancel();
                }

                return null;
            };
            await first.Pool.PutAsync(PoolPath.Parse("/f"), new MemoryStream(data), data.Length, PutOptions.Default, stop.Token);
            Assert.Equal(data, await ReadAllAsync(first.Pool, "/f"));
        }

        script.Fail = (_, _) => null;
        await using var second = await TestPool.CreateAsync(memory);
        Assert.Equal(data, await ReadAllAsync(second.Pool, "/f"));
    }

    [Fact]
    public async Task A_failing_remote_is_avoided_and_the_upload_completes_on_the_others()
    {
        var memory = new InMemoryRemoteStore("a:", "b:", "c:");
        var faulty = new FaultyRemoteStore(memory);
        await using var test = await TestPool.CreateAsync(faulty, c => c.MaxRetries = 1);
        faulty.FailingRemotes.Add("b:");
        var data = Random(6 * Chunk);
        await test.Pool.PutAsync(PoolPath.Parse("/f"), new MemoryStream(data), data.Length, PutOptions.Default, None);

        var manifest = await test.Pool.GetManifestAsync(PoolPath.Parse("/f"), None);
        Assert.DoesNotContain(manifest!.Chunks, c => c.Locations[0].Remote == "b:");
        Assert.Equal(data, await ReadAllAsync(test.Pool, "/f"));

        // b: failed transiently in a row until its circuit opened: it is not asked to clean up during the cool-down, and
        // what the failed attempts left there is for 'orphans' (no manifest names it).
        Assert.True(test.Pool.CircuitBreaker.IsOpen("b:"));
        var referenced = manifest.Chunks.SelectMany(c => c.Locations).Select(l => "b:" + l.Object).ToHashSet();
        Assert.DoesNotContain(memory.Keys("b:", "rclonepool_data"), referenced.Contains);
    }

    [Fact]
    public async Task Overwrite_replaces_content_and_removes_the_old_chunks()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        var v1 = Random(4 * Chunk, 1);
        var v2 = Random(2 * Chunk, 2);
        await test.Pool.PutAsync(PoolPath.Parse("/f"), new MemoryStream(v1), v1.Length, PutOptions.Default, None);
        await test.Pool.PutAsync(PoolPath.Parse("/f"), new MemoryStream(v2), v2.Length, PutOptions.Default, None);

        Assert.Equal(v2, await ReadAllAsync(test.Pool, "/f"));
        Assert.Equal(2, new[] { "a:", "b:", "c:" }.Sum(r => store.Keys(r, "rclonepool_data").Count()));
        Assert.Equal(3, new[] { "a:", "b:", "c:" }.Sum(r => store.Keys(r, "rclonepool_manifests").Count()));
    }

    [Fact]
    public async Task Delete_removes_manifests_and_chunks_and_compaction_drops_the_tombstones()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store, c => c.ManifestPacking = true);
        var data = Random(3 * Chunk);
        await test.Pool.PutAsync(PoolPath.Parse("/x/f"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        await test.Pool.DeleteAsync(PoolPath.Parse("/x"), recursive: true, None);

        // With packing what remains is a tombstone per deleted entry, in packs; the next compaction drops them.
        Assert.Null(await test.Pool.StatAsync(PoolPath.Parse("/x/f"), None));
        Assert.DoesNotContain(store.Objects.Keys, k => k.Contains("rclonepool_data", StringComparison.Ordinal));
        Assert.All(store.Objects.Where(o => o.Key.Contains("rclonepool_manifests", StringComparison.Ordinal)), o =>
            Assert.All(ManifestPack.Parse(o.Value, test.Pool.Context.PoolId, o.Key), r => Assert.True(r.IsTombstone)));
        await new Core.Jobs.ManifestCompactor(test.Pool).CompactAsync(full: false, None);
        Assert.DoesNotContain(store.Objects.Keys, k => k.Contains("rclonepool_manifests", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_small_puts_share_packs_and_each_is_visible_only_once_its_manifest_is_written()
    {
        var store = new ManifestGate(new InMemoryRemoteStore("a:", "b:", "c:"));
        await using var test = await TestPool.CreateAsync(store, c => c.ManifestPacking = true);
        var paths = Enumerable.Range(0, 6).Select(i => PoolPath.Parse($"/small/f{i}")).ToList();

        // Six small uploads at once; their manifests are held at the remotes until the gate opens.
        var puts = paths.Select((p, i) => Task.Run(() => test.Pool.PutAsync(p, new MemoryStream(Random(100, i)), 100, PutOptions.Default, None), None)).ToList();
        await Eventually.TrueAsync(() => store.Held >= 2, "two manifest writes held at the gate");
        await Task.Delay(300, None);

        Assert.All(puts, p => Assert.False(p.IsCompleted));
        foreach (var path in paths)
        {
            Assert.Null(await test.Pool.StatAsync(path, None));
        }

        store.Open();
        await Task.WhenAll(puts);
        for (var i = 0; i < paths.Count; i++)
        {
            Assert.Equal(Random(100, i), await ReadAllAsync(test.Pool, paths[i].Value));
        }

        // Every manifest on every remote; fewer objects than files, as some shared a pack.
        foreach (var remote in new[] { "a:", "b:", "c:" })
        {
            var objects = store.Inner.Objects.Where(o => o.Key.StartsWith(remote, StringComparison.Ordinal) && o.Key.Contains("rclonepool_manifests", StringComparison.Ordinal)).ToList();
            Assert.InRange(objects.Count, 1, paths.Count - 1);
            var records = objects.Sum(o => ManifestNames.IsPackName(o.Key[(o.Key.LastIndexOf('/') + 1)..]) ? ManifestPack.Parse(o.Value, test.Pool.Context.PoolId, o.Key).Count : 1);
            Assert.Equal(paths.Count, records);
        }

        // Each batch went to every remote as the one pack built for all of them: the remotes hold the same objects, byte for byte.
        var held = new[] { "a:", "b:", "c:" }.Select(remote => store.Inner.Objects
            .Where(o => o.Key.StartsWith(remote, StringComparison.Ordinal) && o.Key.Contains("rclonepool_manifests", StringComparison.Ordinal))
            .Select(o => $"{o.Key[(o.Key.LastIndexOf('/') + 1)..]} {Convert.ToHexString(o.Value)}").Order(StringComparer.Ordinal).ToList()).ToList();
        Assert.All(held, objects => Assert.Equal(held[0], objects));
    }

    /// <summary>Holds writes of manifests until <see cref="Open"/>.</summary>
    private sealed class ManifestGate(InMemoryRemoteStore inner) : PassThroughRemoteStore(inner)
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public new InMemoryRemoteStore Inner => inner;

        public int Held => Volatile.Read(ref _held);

        public void Open() => _open.TrySetResult();

        public override async Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
        {
            if (target.Path.StartsWith("rclonepool_manifests/", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _held);
                await _open.Task.WaitAsync(cancellationToken);
            }

            await base.WriteAsync(target, content, length, cancellationToken);
        }
    }

    [Fact]
    public async Task Move_of_a_directory_rewrites_manifests_only()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        var data = Random(2 * Chunk);
        await test.Pool.PutAsync(PoolPath.Parse("/a/one"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        await test.Pool.PutAsync(PoolPath.Parse("/a/sub/two"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        var chunksBefore = store.Objects.Keys.Where(k => k.Contains("rclonepool_data", StringComparison.Ordinal)).ToHashSet();

        await test.Pool.MoveAsync(PoolPath.Parse("/a"), PoolPath.Parse("/b"), overwrite: false, None);

        Assert.Null(await test.Pool.StatAsync(PoolPath.Parse("/a"), None));
        Assert.Equal(data, await ReadAllAsync(test.Pool, "/b/sub/two"));
        Assert.Equal(chunksBefore, store.Objects.Keys.Where(k => k.Contains("rclonepool_data", StringComparison.Ordinal)).ToHashSet());
    }

    [Fact]
    public async Task Empty_directories_exist_and_conflicts_are_refused()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        await test.Pool.MkdirAsync(PoolPath.Parse("/empty"), None);
        Assert.True((await test.Pool.StatAsync(PoolPath.Parse("/empty"), None))!.IsDirectory);
        Assert.Equal(PoolErrorKind.Conflict, (await Assert.ThrowsAsync<PoolException>(() => test.Pool.MkdirAsync(PoolPath.Parse("/empty"), None))).Kind);
        Assert.Equal(PoolErrorKind.NotFound, (await Assert.ThrowsAsync<PoolException>(() => test.Pool.MkdirAsync(PoolPath.Parse("/no/such"), None))).Kind);

        await test.Pool.PutAsync(PoolPath.Parse("/file"), new MemoryStream([1]), 1, PutOptions.Default, None);
        Assert.Equal(PoolErrorKind.Conflict, (await Assert.ThrowsAsync<PoolException>(() => test.Pool.PutAsync(PoolPath.Parse("/file/below"), new MemoryStream([1]), 1, PutOptions.Default, None))).Kind);
        Assert.Equal(PoolErrorKind.BadInput, (await Assert.ThrowsAsync<PoolException>(() => test.Pool.PutAsync(PoolPath.Parse("/empty"), new MemoryStream([1]), 1, PutOptions.Default, None))).Kind);
    }

    [Fact]
    public async Task The_index_is_rebuilt_from_the_remotes_alone()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        var data = Random(2 * Chunk);
        await using (var first = await TestPool.CreateAsync(store))
        {
            await first.Pool.PutAsync(PoolPath.Parse("/keep/f"), new MemoryStream(data), data.Length, PutOptions.Default, None);
            await first.Pool.MkdirAsync(PoolPath.Parse("/empty"), None);
            await first.Pool.SetPropertiesAsync(PoolPath.Parse("/keep/f"), new Dictionary<string, string?> { ["p"] = "v" }, None);
        }

        await using var second = await TestPool.CreateAsync(store);
        Assert.Equal(data, await ReadAllAsync(second.Pool, "/keep/f"));
        Assert.True((await second.Pool.StatAsync(PoolPath.Parse("/empty"), None))!.IsDirectory);
        Assert.Equal("v", (await second.Pool.StatAsync(PoolPath.Parse("/keep/f"), None))!.Properties["p"]);
    }

    [Fact]
    public async Task An_upload_larger_than_the_pool_is_refused_before_anything_is_written()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        foreach (var r in store.Free.Keys.ToList())
        {
            store.Free[r] = Chunk;
        }

        await using var test = await TestPool.CreateAsync(store);
        var writes = store.Writes;
        var data = Random(4 * Chunk);
        var e = await Assert.ThrowsAsync<PoolException>(() => test.Pool.PutAsync(PoolPath.Parse("/big"), new MemoryStream(data), data.Length, PutOptions.Default, None));
        Assert.Equal(PoolErrorKind.NoSpace, e.Kind);
        Assert.Equal(writes, store.Writes);
    }

    [Fact]
    public async Task Listings_describe_entries_exactly_as_stat_does()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        var data = Random(Chunk + 1);
        await test.Pool.PutAsync(PoolPath.Parse("/d/f"), new MemoryStream(data), data.Length, PutOptions.Default, None);
        await test.Pool.SetPropertiesAsync(PoolPath.Parse("/d/f"), new Dictionary<string, string?> { ["{urn:x}p"] = "<v/>" }, None);
        await test.Pool.MkdirAsync(PoolPath.Parse("/d/empty"), None);

        await foreach (var listed in test.Pool.ListAsync(PoolPath.Parse("/d"), recursive: false, None))
        {
            var stat = await test.Pool.StatAsync(listed.Path, None);
            Assert.Equal(stat!.ETag, listed.ETag);
            Assert.Equal(stat.Created, listed.Created);
            Assert.Equal(stat.Modified, listed.Modified);
            Assert.Equal(stat.Properties, listed.Properties);
        }
    }

    [Fact]
    public async Task Concurrent_writers_of_one_path_leave_one_consistent_version()
    {
        var store = new InMemoryRemoteStore("a:", "b:", "c:");
        await using var test = await TestPool.CreateAsync(store);
        var versions = Enumerable.Range(1, 8).Select(i => Random((2 * Chunk) + i, i)).ToList();
        await Task.WhenAll(versions.Select(v => Task.Run(() => test.Pool.PutAsync(PoolPath.Parse("/same"), new MemoryStream(v), v.Length, PutOptions.Default, None))));

        var final = await ReadAllAsync(test.Pool, "/same");
        Assert.Contains(versions, v => v.SequenceEqual(final));
        Assert.Equal(3, new[] { "a:", "b:", "c:" }.Sum(r => store.Keys(r, "rclonepool_manifests").Count()));
        Assert.Equal(3, new[] { "a:", "b:", "c:" }.Sum(r => store.Keys(r, "rclonepool_data").Count()));
        Assert.Equal(8, (await test.Pool.StatAsync(PoolPath.Parse("/same"), None))!.Revision);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
