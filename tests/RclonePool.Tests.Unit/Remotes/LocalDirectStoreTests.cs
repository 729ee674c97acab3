using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Local;

namespace RclonePool.Tests.Unit.Remotes;

/// <summary>How <see cref="LocalDirectStore"/> decides between the filesystem and the transport, for reads and writes (real rclone: integration tests).</summary>
public sealed class LocalDirectStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rclonepool-direct-unit-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_failure_to_tell_sends_that_read_through_the_transport_and_the_next_read_asks_again()
    {
        var path = new RemotePath("disk:", "rclonepool_data/ab/ab01");
        var transport = new AnsweringStore(_directory) { Failures = 1 };
        Directory.CreateDirectory(Path.Combine(_directory, "rclonepool_data", "ab"));
        await File.WriteAllBytesAsync(Path.Combine(_directory, path.Path), [1, 2, 3], Ct);
        var store = new LocalDirectStore(transport);

        Assert.Equal([9], await ReadAsync(store, path)); // rclone could not say: the transport serves the read
        Assert.Equal([1, 2, 3], await ReadAsync(store, path)); // asked again: the file
        Assert.Equal([1, 2, 3], await ReadAsync(store, path));

        Assert.Equal(2, transport.Questions);
        Assert.Equal(1, transport.Reads);
    }

    [Fact]
    public async Task An_absolute_path_is_known_as_a_local_directory_without_asking_rclone()
    {
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);

        Assert.Equal(_directory, await store.LocalDirectoryAsync(_directory, Ct));
        Assert.Equal(_directory, await store.LocalDirectoryAsync(_directory + "/", Ct));
        Assert.Equal(_directory, await store.LocalDirectoryAsync(_directory + "/sub/..", Ct));
        Assert.Equal(0, transport.Questions);

        // A remote name, or a path rclone might read as one, is asked of rclone.
        Assert.Equal(_directory, await store.LocalDirectoryAsync("disk:", Ct));
        Assert.Equal(_directory, await store.LocalDirectoryAsync("/odd:name", Ct));
        Assert.Equal(2, transport.Questions);
    }

    [Fact]
    public async Task A_small_write_lands_in_the_directory_whole_and_replaces_the_old_object()
    {
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);
        var path = new RemotePath("disk:", "rclonepool_manifests/0123-r1.json");

        await store.WriteBytesAsync(path, "first"u8.ToArray(), Ct);
        await store.WriteBytesAsync(path, "second"u8.ToArray(), Ct);

        Assert.Equal("second"u8.ToArray(), await File.ReadAllBytesAsync(Path.Combine(_directory, path.Path), Ct));
        Assert.Equal(["0123-r1.json"], Directory.GetFiles(Path.Combine(_directory, "rclonepool_manifests")).Select(Path.GetFileName));
        Assert.Equal(0, transport.Writes);
    }

    [Fact]
    public async Task Several_small_objects_are_written_directly_into_a_directory_created_for_them()
    {
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);
        var directory = new RemotePath("disk:", "rclonepool_manifests/deeper");

        await store.WriteManyAsync(directory, [new NamedBytes("a-r1.json", new byte[] { 1 }), new NamedBytes("b-r1.json", new byte[] { 2, 3 })], Ct);

        Assert.Equal([1], await File.ReadAllBytesAsync(Path.Combine(_directory, "rclonepool_manifests/deeper/a-r1.json"), Ct));
        Assert.Equal([2, 3], await File.ReadAllBytesAsync(Path.Combine(_directory, "rclonepool_manifests/deeper/b-r1.json"), Ct));
        Assert.Equal(0, transport.Writes);
    }

    [Fact]
    public async Task A_group_with_an_object_larger_than_one_buffer_is_written_directly_too()
    {
        // The manifest of a 2 GiB file in 32 MiB chunks is about 200 KB: through the transport it would start rclone.
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);
        var large = new byte[(3 * LocalDirectStore.MaxDirectWriteBytes) + 5];
        Random.Shared.NextBytes(large);

        await store.WriteManyAsync(new RemotePath("disk:", "rclonepool_manifests"), [new NamedBytes("a-r2.json", large), new NamedBytes("b-r1.json", new byte[] { 4 })], Ct);

        Assert.Equal(large, await File.ReadAllBytesAsync(Path.Combine(_directory, "rclonepool_manifests/a-r2.json"), Ct));
        Assert.Equal([4], await File.ReadAllBytesAsync(Path.Combine(_directory, "rclonepool_manifests/b-r1.json"), Ct));
        Assert.Equal(["a-r2.json", "b-r1.json"], Directory.GetFiles(Path.Combine(_directory, "rclonepool_manifests")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(0, transport.Writes);
    }

    [Fact]
    public async Task Oddly_named_or_unwanted_writes_go_through_the_transport()
    {
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);
        var odd = new RemotePath("disk:", "dir with space/x");

        await store.WriteBytesAsync(odd, new byte[] { 1 }, Ct);
        await new LocalDirectStore(transport, new LocalDirectOptions(Reads: true, Writes: false)).WriteBytesAsync(new RemotePath("disk:", "rclonepool_manifests/c-r1.json"), new byte[] { 4 }, Ct);
        await new LocalDirectStore(transport, new LocalDirectOptions(Reads: true, Writes: false)).WriteBytesAsync(new RemotePath("disk:", "rclonepool_data/ab/ab04"), new byte[LocalDirectStore.MaxDirectWriteBytes + 1], Ct);

        Assert.Equal(3, transport.Writes);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Theory]
    [InlineData(LocalDirectStore.MaxDirectWriteBytes + 1, true)]
    [InlineData((3 * 1024 * 1024) + 17, true)]
    [InlineData((3 * 1024 * 1024) + 17, false)]
    public async Task A_large_object_or_one_of_unknown_length_streams_to_its_file_and_replaces_the_old_one(int size, bool lengthKnown)
    {
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);
        var path = new RemotePath("disk:", "rclonepool_data/ab/ab02");
        var data = new byte[size];
        Random.Shared.NextBytes(data);

        await store.WriteBytesAsync(path, new byte[] { 7 }, Ct);
        await store.WriteAsync(path, new MemoryStream(data), lengthKnown ? size : -1, Ct);

        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(_directory, path.Path), Ct));
        Assert.Equal(["ab02"], Directory.GetFiles(Path.Combine(_directory, "rclonepool_data", "ab")).Select(Path.GetFileName));
        Assert.Equal(0, transport.Writes);
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(300_000)]
    public async Task A_large_object_of_another_length_than_announced_is_refused_and_nothing_is_kept(int actual)
    {
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);
        var path = new RemotePath("disk:", "rclonepool_data/ab/ab03");

        var error = await Assert.ThrowsAsync<PoolException>(() => store.WriteAsync(path, new MemoryStream(new byte[actual]), 200_000, Ct));

        Assert.Equal(PoolErrorKind.BadInput, error.Kind);
        Assert.Contains("not the 200000 announced", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory, "rclonepool_data", "ab")));
        Assert.Equal(0, transport.Writes);
    }

    [Fact]
    public async Task A_direct_write_the_filesystem_refuses_is_handed_to_the_transport_and_leaves_nothing_behind()
    {
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);
        await File.WriteAllBytesAsync(Path.Combine(_directory, "rclonepool_manifests"), [0], Ct); // a file where the directory should be

        await store.WriteManyAsync(new RemotePath("disk:", "rclonepool_manifests"), [new NamedBytes("a-r1.json", new byte[] { 1 })], Ct);
        await store.WriteBytesAsync(new RemotePath("disk:", "rclonepool_manifests/b-r1.json"), new byte[] { 2 }, Ct);
        await store.WriteBytesAsync(new RemotePath("disk:", "rclonepool_manifests/c-r1.json"), new byte[LocalDirectStore.MaxDirectWriteBytes + 1], Ct);

        Assert.Equal(3, transport.Writes);
        Assert.Equal(["rclonepool_manifests"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Writers_racing_into_new_chunk_directories_all_write_directly()
    {
        // The chunks of a directory upload go to 256 two-hex-digit directories, many at once: two writers making the same
        // directory must both write their object there (one of them once saw "file not found" and went through rclone).
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);
        var objects = Enumerable.Range(0, 512).Select(i => $"rclonepool_data/{i % 32:x2}/{i % 32:x2}{i:x6}").ToList();

        await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = Ct }, async (name, ct) =>
            await store.WriteBytesAsync(new RemotePath("disk:", name), new byte[] { 7 }, ct));

        Assert.Equal(0, transport.Writes);
        Assert.All(objects, name => Assert.Equal([7], File.ReadAllBytes(Path.Combine(_directory, name))));
        Assert.Equal(32, Directory.GetDirectories(Path.Combine(_directory, "rclonepool_data")).Length);
    }

    [Fact]
    public async Task A_directory_removed_after_the_store_wrote_into_it_is_made_again()
    {
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);
        var directory = Path.Combine(_directory, "rclonepool_data", "ab");
        await store.WriteBytesAsync(new RemotePath("disk:", "rclonepool_data/ab/ab01"), new byte[] { 1 }, Ct);

        Directory.Delete(directory, recursive: true); // by hand, behind the store's back
        await store.WriteBytesAsync(new RemotePath("disk:", "rclonepool_data/ab/ab02"), new byte[] { 2 }, Ct);
        Assert.Equal([2], await File.ReadAllBytesAsync(Path.Combine(directory, "ab02"), Ct));

        Directory.Delete(directory, recursive: true);
        await store.WriteAsync(new RemotePath("disk:", "rclonepool_data/ab/ab03"), new MemoryStream(new byte[LocalDirectStore.MaxDirectWriteBytes + 1]), -1, Ct);
        Assert.Equal(LocalDirectStore.MaxDirectWriteBytes + 1, new FileInfo(Path.Combine(directory, "ab03")).Length);

        Assert.Equal(0, transport.Writes);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Content_of_another_length_than_announced_is_refused_and_nothing_is_written(int actual)
    {
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);

        var error = await Assert.ThrowsAsync<PoolException>(() => store.WriteAsync(new RemotePath("disk:", "rclonepool_manifests/a-r1.json"), new MemoryStream(new byte[actual]), 3, Ct));

        Assert.Equal(PoolErrorKind.BadInput, error.Kind);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
        Assert.Equal(0, transport.Writes);
    }

    [Fact]
    public async Task The_space_of_a_local_directory_is_read_from_its_file_system_without_asking_rclone()
    {
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);
        var drive = new DriveInfo(_directory);

        var usage = await store.AboutAsync(_directory, Ct);

        // The file system's size is fixed; what is used and free moves while other tests write, so only their bounds hold.
        Assert.NotNull(usage);
        Assert.Equal(drive.TotalSize, usage.Total);
        Assert.InRange(usage.Used!.Value, 0, drive.TotalSize);
        Assert.InRange(usage.Free!.Value, 0, drive.TotalSize);
        Assert.Equal(0, transport.Abouts);
        Assert.Equal(0, transport.Questions);
    }

    [Fact]
    public async Task The_space_of_a_missing_directory_or_with_direct_access_off_is_asked_of_rclone()
    {
        var transport = new AnsweringStore(_directory);

        await new LocalDirectStore(transport).AboutAsync(Path.Combine(_directory, "gone"), Ct);
        await new LocalDirectStore(transport, new LocalDirectOptions(Reads: false, Writes: false)).AboutAsync(_directory, Ct);

        Assert.Equal(2, transport.Abouts);
    }

    [Fact]
    public async Task Stat_delete_and_move_of_objects_in_a_local_directory_happen_there_without_the_transport()
    {
        var transport = new AnsweringStore(_directory);
        var store = new LocalDirectStore(transport);
        var path = new RemotePath("disk:", "rclonepool_data/ab/ab01");
        var aside = new RemotePath("disk:", "rclonepool_manifests/swept/ab01");

        Assert.Null(await store.StatAsync(path, Ct));
        await store.WriteBytesAsync(path, new byte[] { 1, 2, 3 }, Ct);
        var entry = await store.StatAsync(path, Ct);
        Assert.Equal(3, entry!.Size);
        Assert.False(entry.IsDirectory);
        Assert.Equal(File.GetLastWriteTimeUtc(Path.Combine(_directory, path.Path)), entry.ModTime.UtcDateTime);

        await store.MoveAsync(path, aside, Ct);
        Assert.Null(await store.StatAsync(path, Ct));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(_directory, aside.Path), Ct));
        Assert.True(await store.DeleteAsync(aside, Ct));
        Assert.False(await store.DeleteAsync(aside, Ct));
        Assert.Equal(0, transport.Metadata);

        // A directory, or a name rclone might encode, is asked of the transport.
        await store.StatAsync(new RemotePath("disk:", "rclonepool_data"), Ct);
        await store.StatAsync(new RemotePath("disk:", "odd name"), Ct);
        await new LocalDirectStore(transport, new LocalDirectOptions(Reads: false, Writes: false)).DeleteAsync(aside, Ct);
        Assert.Equal(3, transport.Metadata);
    }

    private static async Task<byte[]> ReadAsync(IRemoteStore store, RemotePath path)
    {
        await using var stream = await store.OpenReadAsync(path, 0, -1, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    /// <summary>A transport that names <c>directory</c> as local after failing <see cref="Failures"/> times, and serves [9] for every read.</summary>
    private sealed class AnsweringStore(string directory) : IRemoteStore, ILocalDirectoryLookup
    {
        private readonly InMemoryRemoteStore _rest = new("disk:");

        public int Failures { get; set; }

        public int Questions { get; private set; }

        public int Reads { get; private set; }

        public Task<string?> LocalDirectoryAsync(string remote, CancellationToken cancellationToken)
        {
            Questions++;
            return Failures-- > 0 ? throw new IOException("rclone is restarting") : Task.FromResult<string?>(directory);
        }

        public Task<Stream> OpenReadAsync(RemotePath source, long offset, long count, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult<Stream>(new MemoryStream([9]));
        }

        public int Writes { get; private set; }

        public Task WriteAsync(RemotePath target, Stream content, long length, CancellationToken cancellationToken)
        {
            Writes++;
            return _rest.WriteAsync(target, content, length, cancellationToken);
        }

        public IAsyncEnumerable<RemoteEntry> ListAsync(RemotePath directory, bool recursive, CancellationToken cancellationToken) => _rest.ListAsync(directory, recursive, cancellationToken);

        /// <summary>Stats, deletes and moves asked of the transport.</summary>
        public int Metadata { get; private set; }

        public Task<RemoteEntry?> StatAsync(RemotePath path, CancellationToken cancellationToken)
        {
            Metadata++;
            return _rest.StatAsync(path, cancellationToken);
        }

        public Task<bool> DeleteAsync(RemotePath path, CancellationToken cancellationToken)
        {
            Metadata++;
            return _rest.DeleteAsync(path, cancellationToken);
        }

        public Task MoveAsync(RemotePath from, RemotePath to, CancellationToken cancellationToken)
        {
            Metadata++;
            return _rest.MoveAsync(from, to, cancellationToken);
        }

        public int Abouts { get; private set; }

        public Task<RemoteUsage?> AboutAsync(string remote, CancellationToken cancellationToken)
        {
            Abouts++;
            return Task.FromResult<RemoteUsage?>(new RemoteUsage(null, null, null));
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
