using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Support.Remotes;

/// <summary>
/// What every <see cref="IRemoteStore"/> must do, whatever it is: an rclone transport over any kind of remote, the
/// in-memory store, or a decorator around either. Each test works in its own directory of the subject's remote, so the
/// tests of one class may share the store.
/// </summary>
/// <remarks>
/// To run the rules against another store: write an <see cref="IRemoteStoreUnderTest"/> that builds it (usually an
/// xUnit class fixture, started once per class) and a sealed class
/// <c>XStoreTests(XFixture fixture) : RemoteStoreContract(fixture), IClassFixture&lt;XFixture&gt;</c> in the test project that
/// can run it (tests/RclonePool.Tests.Unit without processes, tests/RclonePool.Tests.Integration with rclone). Rules about
/// rclone's processes live in the integration tests' <c>RemoteStoreConformanceTests</c>, which derives from this class.
/// </remarks>
public abstract class RemoteStoreContract(IRemoteStoreUnderTest subject)
{
    protected const int MiB = 1024 * 1024;

    private readonly string _directory = "t-" + Guid.NewGuid().ToString("N")[..10];

    protected IRemoteStore Store => subject.Store;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("empty.bin", 0)]
    [InlineData("one byte", 1)]
    [InlineData("Ünïcødé файл 日本 [1] 50% #x+y;&=?.txt", 1000)]
    [InlineData("dir with space/sub dir/multi MiB.bin", (8 * MiB) + 3)]
    public async Task Write_then_read_returns_the_same_bytes(string name, int size)
    {
        var path = At(name);
        var data = RandomBytes(size);

        await Store.WriteAsync(path, new MemoryStream(data), size, Ct);

        Assert.Equal(data, await ReadAllAsync(path));
        var entry = await Store.StatAsync(path, Ct);
        Assert.NotNull(entry);
        Assert.Equal(size, entry.Size);
        Assert.Equal(path.Path, entry.Path);
    }

    [Fact]
    public async Task Write_of_unknown_length_streams_from_a_non_seekable_source()
    {
        var path = At("unknown length.bin");
        const int size = (3 * MiB) + 17;

        await Store.WriteAsync(path, new GeneratedStream(size, 11), -1, Ct);

        Assert.Equal(GeneratedStream.Bytes(11, 0, size), await ReadAllAsync(path));
    }

    [Fact]
    public async Task Write_replaces_an_existing_object()
    {
        var path = At("replaced.txt");
        await WriteAsync(path, RandomBytes(5000));
        var second = RandomBytes(123);

        await WriteAsync(path, second);

        Assert.Equal(second, await ReadAllAsync(path));
    }

    [Theory]
    [InlineData(0, 10, 0, 10)]
    [InlineData(5, 100, 5, 100)]
    [InlineData(99_990, -1, 99_990, 10)]
    [InlineData(99_990, 100, 99_990, 10)]
    [InlineData(100_000, 10, 0, 0)]
    [InlineData(250_000, -1, 0, 0)]
    [InlineData(123, 0, 0, 0)]
    [InlineData(0, -1, 0, 100_000)]
    public async Task Ranged_reads_return_exactly_the_bytes_stored_there(long offset, long count, int expectedStart, int expectedLength)
    {
        var path = At("ranged.bin");
        var data = RandomBytes(100_000);
        await WriteAsync(path, data);

        var read = await ReadAllAsync(path, offset, count);

        Assert.Equal(data.AsSpan(expectedStart, expectedLength).ToArray(), read);
    }

    [Fact]
    public async Task Reading_a_missing_object_is_NotFound()
    {
        var inExistingDirectory = At("present.txt");
        await WriteAsync(inExistingDirectory, [1, 2, 3]);

        var missing = await Assert.ThrowsAsync<PoolException>(() => Store.OpenReadAsync(At("absent.txt"), 0, -1, Ct));
        var missingDirectory = await Assert.ThrowsAsync<PoolException>(() => Store.OpenReadAsync(At("no/such/dir.txt"), 10, 5, Ct));
        var missingEmptyRange = await Assert.ThrowsAsync<PoolException>(() => Store.OpenReadAsync(At("absent.txt"), 0, 0, Ct));

        Assert.All([missing, missingDirectory, missingEmptyRange], e => Assert.Equal(PoolErrorKind.NotFound, e.Kind));
        Assert.Contains("absent.txt", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_returns_entries_relative_to_the_remote_root_one_level_or_recursively()
    {
        await WriteAsync(At("tree/a.txt"), RandomBytes(10));
        await WriteAsync(At("tree/b c.txt"), RandomBytes(20));
        await WriteAsync(At("tree/sub/c.txt"), RandomBytes(30));
        await WriteAsync(At("tree/sub/deeper/d.txt"), RandomBytes(40));

        var shallow = await ListAsync(At("tree"), recursive: false);
        var deep = await ListAsync(At("tree"), recursive: true);

        Assert.Equal([Rel("tree/a.txt"), Rel("tree/b c.txt"), Rel("tree/sub")], shallow.Select(e => e.Path).Order(StringComparer.Ordinal));
        Assert.Equal(
            [Rel("tree/a.txt"), Rel("tree/b c.txt"), Rel("tree/sub"), Rel("tree/sub/c.txt"), Rel("tree/sub/deeper"), Rel("tree/sub/deeper/d.txt")],
            deep.Select(e => e.Path).Order(StringComparer.Ordinal));
        var file = Assert.Single(shallow, e => e.Path == Rel("tree/b c.txt"));
        Assert.False(file.IsDirectory);
        Assert.Equal(20, file.Size);
        Assert.Equal("b c.txt", file.Name);
        Assert.True(Assert.Single(shallow, e => e.Path == Rel("tree/sub")).IsDirectory);
        Assert.True(file.ModTime > DateTimeOffset.UtcNow.AddDays(-1));
    }

    [Fact]
    public async Task Listing_a_missing_directory_is_empty()
    {
        Assert.Empty(await ListAsync(At("never/created"), recursive: false));
        Assert.Empty(await ListAsync(At("never/created"), recursive: true));
    }

    [Fact]
    public async Task Stat_describes_a_present_object_and_is_null_for_a_missing_one()
    {
        var path = At("stat me.bin");
        await WriteAsync(path, RandomBytes(4321));

        var present = await Store.StatAsync(path, Ct);

        Assert.NotNull(present);
        Assert.Equal(4321, present.Size);
        Assert.False(present.IsDirectory);
        Assert.Null(await Store.StatAsync(At("missing.bin"), Ct));
        Assert.Null(await Store.StatAsync(At("missing/dir/object.bin"), Ct));
    }

    [Fact]
    public async Task Delete_is_true_for_a_present_object_and_false_for_a_missing_one()
    {
        var path = At("delete me.txt");
        await WriteAsync(path, RandomBytes(10));

        Assert.True(await Store.DeleteAsync(path, Ct));
        Assert.Null(await Store.StatAsync(path, Ct));
        Assert.False(await Store.DeleteAsync(path, Ct));
        Assert.False(await Store.DeleteAsync(At("never/there.txt"), Ct));
    }

    [Fact]
    public async Task Move_renames_an_object_and_replaces_the_target()
    {
        var from = At("move/from ü.bin");
        var to = At("move/elsewhere/to.bin");
        var data = RandomBytes(2000);
        await WriteAsync(from, data);
        await WriteAsync(to, RandomBytes(50));

        await Store.MoveAsync(from, to, Ct);

        Assert.Null(await Store.StatAsync(from, Ct));
        Assert.Equal(data, await ReadAllAsync(to));
        var missing = await Assert.ThrowsAsync<PoolException>(() => Store.MoveAsync(from, At("move/never.bin"), Ct));
        Assert.Equal(PoolErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task About_reports_the_space_of_the_remote()
    {
        await WriteAsync(At("about.txt"), [1]);

        var usage = await Store.AboutAsync(subject.Remote, Ct);

        if (subject.ReportsSpace)
        {
            Assert.NotNull(usage);
            Assert.True(usage.Total > 0, "total");
            Assert.True(usage.Free >= 0, "free");
            Assert.True(usage.Used >= 0, "used");
        }
        else if (usage is not null)
        {
            Assert.True(usage.Total is null || usage.Total >= 0);
        }
    }

    [Fact]
    public async Task An_unknown_remote_is_a_clear_BadInput_error_for_every_call()
    {
        var unknown = new RemotePath("nosuchremote:", "dir/object.bin");

        PoolException[] errors =
        [
            await Assert.ThrowsAsync<PoolException>(() => Store.StatAsync(unknown, Ct)),
            await Assert.ThrowsAsync<PoolException>(() => Store.OpenReadAsync(unknown, 0, -1, Ct)),
            await Assert.ThrowsAsync<PoolException>(() => Store.WriteAsync(unknown, new GeneratedStream(4 * MiB, 1), 4 * MiB, Ct)),
            await Assert.ThrowsAsync<PoolException>(async () => await ListAsync(new RemotePath("nosuchremote:", ""), recursive: false)),
            await Assert.ThrowsAsync<PoolException>(() => Store.AboutAsync("nosuchremote:", Ct)),
            await Assert.ThrowsAsync<PoolException>(() => Store.DeleteAsync(unknown, Ct)),
        ];

        Assert.All(errors, e =>
        {
            Assert.Equal(PoolErrorKind.BadInput, e.Kind);
            Assert.Contains("nosuchremote:", e.Message, StringComparison.Ordinal);
            Assert.Contains("rclone config", e.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_content_shorter_than_announced_is_refused()
    {
        var error = await Assert.ThrowsAsync<PoolException>(() => Store.WriteAsync(At("short.bin"), new MemoryStream(new byte[50]), 100, Ct));

        Assert.Equal(PoolErrorKind.BadInput, error.Kind);
        Assert.Contains("100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_source_surfaces_its_own_error()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => Store.WriteAsync(At("failing.bin"), new FailingStream(300_000), -1, Ct));
    }

    [Fact]
    public async Task Write_many_writes_every_object_into_the_directory()
    {
        var directory = At("many");
        byte[] one = [1], two = [2, 3];

        await Store.WriteManyAsync(directory, [new NamedBytes("a-r1.json", one), new NamedBytes("b-r1.json", two), new NamedBytes("c-r1.json", Array.Empty<byte>())], Ct);
        await Store.WriteManyAsync(directory, [], Ct);

        Assert.Equal(one, await ReadAllAsync(At("many/a-r1.json")));
        Assert.Equal(two, await ReadAllAsync(At("many/b-r1.json")));
        Assert.Empty(await ReadAllAsync(At("many/c-r1.json")));
        Assert.Equal([Rel("many/a-r1.json"), Rel("many/b-r1.json"), Rel("many/c-r1.json")], (await ListAsync(directory, recursive: false)).Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_local_directory_of_the_remote_is_told_when_it_is_local_and_null_otherwise()
    {
        await WriteAsync(At("local.txt"), [1]);

        Assert.Equal(subject.LocalDirectory, await Store.LocalDirectoryAsync(subject.Remote, Ct));
    }

    [Fact]
    public void Every_capability_of_the_innermost_store_is_offered_by_the_store()
    {
        var dropped = subject.Transport.GetType().GetInterfaces()
            .Where(i => i != typeof(IRemoteStoreCapability) && typeof(IRemoteStoreCapability).IsAssignableFrom(i) && !i.IsInstanceOfType(Store))
            .Select(i => i.Name);

        Assert.Empty(dropped);
    }

    protected RemotePath At(string relative) => new(subject.Remote, _directory + "/" + relative);

    protected string Rel(string relative) => _directory + "/" + relative;

    protected async Task WriteAsync(RemotePath path, byte[] data) =>
        await Store.WriteAsync(path, new MemoryStream(data, writable: false), data.Length, Ct);

    protected async Task<byte[]> ReadAllAsync(RemotePath path, long offset = 0, long count = -1, IRemoteStore? store = null)
    {
        await using var stream = await (store ?? Store).OpenReadAsync(path, offset, count, Ct);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    protected async Task<List<RemoteEntry>> ListAsync(RemotePath directory, bool recursive)
    {
        List<RemoteEntry> entries = [];
        await foreach (var entry in Store.ListAsync(directory, recursive, Ct))
        {
            entries.Add(entry);
        }

        return entries;
    }

    protected static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
