using RclonePool.Core.Errors;
using RclonePool.Core.Events;
using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Local;
using RclonePool.Core.Remotes.Rclone;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Remotes;

/// <summary>
/// Which remotes rclone reports as local directories (asked of real rclone, both transports), what a direct read does
/// (the same bytes as rclone's, no call to rclone, rclone's answer whenever the file cannot be opened), and what a
/// direct write does (objects rclone then lists and reads as written; crypt still written by rclone).
/// </summary>
public sealed class LocalDirectTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("rclonepool-direct-").FullName;
    private WebDavServer? _dav;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ConfigFile => Path.Combine(_root, "rclone.conf");

    private string Disk => Path.Combine(_root, "disk");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(Disk);
        await File.WriteAllTextAsync(ConfigFile, "", Ct);
        _dav = await WebDavServer.StartAsync(Path.Combine(_root, "served"), ConfigFile);
        var obscured = (await Tools.RunAsync("rclone", ["obscure", "secret"])).Stdout.Trim();
        await File.WriteAllTextAsync(ConfigFile, $"""
            [disk]
            type = local

            [alias]
            type = alias
            remote = {Disk}

            [vault]
            type = crypt
            remote = {Disk}/crypt
            password = {obscured}

            {_dav.ConfigSection("dav")}
            """, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dav is not null)
        {
            await _dav.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Rclone_names_the_directory_of_local_remotes_and_no_other(bool daemon)
    {
        await using var store = RemoteStoreFactory.Create(daemon, Options());

        Assert.Equal(Disk, await store.LocalDirectoryAsync(Disk, Ct));
        Assert.Equal(Disk, await store.LocalDirectoryAsync("disk:" + Disk, Ct));
        Assert.Equal(Disk, await store.LocalDirectoryAsync("alias:", Ct));
        Assert.Equal(Path.Combine(Disk, "sub"), await store.LocalDirectoryAsync("alias:sub", Ct));
        Assert.Null(await store.LocalDirectoryAsync("vault:", Ct));
        Assert.Null(await store.LocalDirectoryAsync("dav:", Ct));
    }

    [Fact]
    public async Task A_direct_read_returns_rclones_bytes_without_calling_rclone()
    {
        await using var counted = new ReportingRemoteStore(RemoteStoreFactory.Create(true, Options()), new PoolEventBus());
        var direct = new LocalDirectStore(counted);
        var data = new byte[(3 * 1024 * 1024) + 5];
        Random.Shared.NextBytes(data);
        var path = new RemotePath("alias:", "rclonepool_data/ab/ab01");
        await direct.WriteAsync(path, new MemoryStream(data), data.Length, Ct);
        Assert.Equal(data, await ReadAsync(direct, path, 0, -1)); // resolves the remote: one call
        var calls = counted.Calls;

        Assert.Equal(data, await ReadAsync(direct, path, 0, -1));
        Assert.Equal(data.AsSpan(1_000_000, 70_000).ToArray(), await ReadAsync(direct, path, 1_000_000, 70_000));
        Assert.Equal(data.AsSpan(data.Length - 5).ToArray(), await ReadAsync(direct, path, data.Length - 5, 100));
        Assert.Empty(await ReadAsync(direct, path, data.Length + 10, 100));

        Assert.Equal(calls, counted.Calls);
        Assert.Equal(data.AsSpan(10, 20).ToArray(), await ReadAsync(counted, path, 10, 20)); // rclone agrees
    }

    [Fact]
    public async Task What_cannot_be_opened_directly_is_asked_of_rclone()
    {
        await using var counted = new ReportingRemoteStore(RemoteStoreFactory.Create(true, Options()), new PoolEventBus());
        var direct = new LocalDirectStore(counted);

        var missing = await Assert.ThrowsAsync<PoolException>(() => direct.OpenReadAsync(new RemotePath(Disk, "rclonepool_data/cd/missing"), 0, -1, Ct));
        Assert.Equal(PoolErrorKind.NotFound, missing.Kind);

        // A name rclone's local encoding could change is never read directly; rclone reads it.
        var odd = new RemotePath(Disk, "dir with space/Ünï.txt");
        await direct.WriteAsync(odd, new MemoryStream([1, 2, 3]), 3, Ct);
        var before = counted.Calls;
        Assert.Equal([1, 2, 3], await ReadAsync(direct, odd, 0, -1));
        Assert.Equal(before + 1, counted.Calls);

        // Crypt stores ciphertext in the same directory: always read through rclone.
        var secret = new RemotePath("vault:", "rclonepool_data/ef/ef01");
        await direct.WriteAsync(secret, new MemoryStream([9, 8, 7]), 3, Ct);
        Assert.Equal([9, 8, 7], await ReadAsync(direct, secret, 0, -1));
    }

    [Fact]
    public async Task A_direct_write_is_what_rclone_then_lists_and_reads_and_calls_no_rclone()
    {
        await using var counted = new ReportingRemoteStore(RemoteStoreFactory.Create(true, Options()), new PoolEventBus());
        var direct = new LocalDirectStore(counted);
        var manifests = new RemotePath("alias:", "rclonepool_manifests");
        Assert.Equal(Disk, await direct.LocalDirectoryAsync("alias:", Ct)); // resolves the remote: one call
        var calls = counted.Calls;
        var one = new byte[300];
        var two = new byte[LocalDirectStore.MaxDirectWriteBytes];
        Random.Shared.NextBytes(one);
        Random.Shared.NextBytes(two);

        await direct.WriteBytesAsync(manifests.Child("a-r1.json"), one, Ct);
        await direct.WriteManyAsync(manifests, [new NamedBytes("b-r1.json", two), new NamedBytes("c-r1.json", Array.Empty<byte>())], Ct);
        await direct.WriteBytesAsync(manifests.Child("a-r1.json"), two, Ct); // replaced whole
        var chunk = new byte[(5 * 1024 * 1024) + 3];
        Random.Shared.NextBytes(chunk);
        var chunkPath = new RemotePath("alias:", "rclonepool_data/0a/0a1b2c");
        await direct.WriteAsync(chunkPath, new MemoryStream(chunk), chunk.Length, Ct); // streamed to its file

        Assert.Equal(calls, counted.Calls);
        Assert.Equal(chunk, await ReadAsync(counted, chunkPath, 0, -1));
        Assert.Equal(chunk.Length, (await counted.StatAsync(chunkPath, Ct))!.Size);
        var listed = new List<RemoteEntry>();
        await foreach (var entry in counted.ListAsync(manifests, recursive: false, Ct))
        {
            listed.Add(entry);
        }

        Assert.Equal(
            [("a-r1.json", (long)two.Length), ("b-r1.json", two.Length), ("c-r1.json", 0)],
            listed.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => (e.Name, e.Size)));
        Assert.Equal(two, await ReadAsync(counted, manifests.Child("a-r1.json"), 0, -1));
        Assert.Equal(two, await ReadAsync(counted, manifests.Child("b-r1.json"), 0, -1));
        Assert.Empty(await ReadAsync(counted, manifests.Child("c-r1.json"), 0, -1));
    }

    [Fact]
    public async Task Small_writes_to_crypt_go_through_rclone_and_leave_no_plaintext()
    {
        await using var counted = new ReportingRemoteStore(RemoteStoreFactory.Create(true, Options()), new PoolEventBus());
        var direct = new LocalDirectStore(counted);
        var secret = "a manifest nobody may read on disk"u8.ToArray();
        var path = new RemotePath("vault:", "rclonepool_manifests/s-r1.json");
        await direct.WriteBytesAsync(path, new byte[] { 0 }, Ct); // resolves the remote (not local) and writes through rclone
        var calls = counted.Calls;

        await direct.WriteBytesAsync(path, secret, Ct);

        Assert.Equal(calls + 1, counted.Calls);
        Assert.Equal(secret, await ReadAsync(direct, path, 0, -1));
        var files = Directory.GetFiles(Path.Combine(Disk, "crypt"), "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.DoesNotContain("s-r1", f, StringComparison.Ordinal));
        Assert.All(files, f => Assert.False(File.ReadAllBytes(f).AsSpan().IndexOf(secret) >= 0, $"{f} holds the plaintext"));
    }

    [Fact]
    public async Task A_listing_of_plain_names_is_rclones_listing_without_calling_rclone()
    {
        await using var counted = new ReportingRemoteStore(RemoteStoreFactory.Create(true, Options()), new PoolEventBus());
        var direct = new LocalDirectStore(counted);
        await direct.WriteBytesAsync(new RemotePath("alias:", "rclonepool_manifests/a-r1.json"), new byte[10], Ct); // resolves the remote: one call
        await direct.WriteBytesAsync(new RemotePath("alias:", "rclonepool_manifests/shared/.claim-1.json"), new byte[3], Ct);
        await direct.WriteAsync(new RemotePath("alias:", "rclonepool_data/0a/0a1b2c"), new MemoryStream(new byte[100_000]), 100_000, Ct);
        Directory.CreateDirectory(Path.Combine(Disk, "rclonepool_data", "ff"));

        foreach (var (path, recursive) in new[] { ("", true), ("", false), ("rclonepool_manifests", false), ("rclonepool_manifests", true), ("rclonepool_data", true), ("missing", true) })
        {
            var calls = counted.Calls;
            var listed = await ListAsync(direct, new RemotePath("alias:", path), recursive);
            Assert.Equal(calls, counted.Calls);
            Assert.Equal(await ListAsync(counted, new RemotePath("alias:", path), recursive), listed);
        }

        // A symbolic link: rclone's link flags decide what it lists, so rclone lists.
        File.CreateSymbolicLink(Path.Combine(Disk, "rclonepool_manifests", "b-r1.json"), Path.Combine(Disk, "rclonepool_manifests", "a-r1.json"));
        var before = counted.Calls;
        await ListAsync(direct, new RemotePath("alias:", "rclonepool_manifests"), recursive: false);
        Assert.Equal(before + 1, counted.Calls);
    }

    /// <summary>A listing in path order, each entry as (path, size, directory, modification time to the millisecond).</summary>
    private static async Task<List<(string, long, bool, long)>> ListAsync(IRemoteStore store, RemotePath directory, bool recursive)
    {
        var entries = new List<(string, long, bool, long)>();
        await foreach (var entry in store.ListAsync(directory, recursive, Ct))
        {
            entries.Add((entry.Path, entry.Size, entry.IsDirectory, entry.ModTime.ToUnixTimeMilliseconds()));
        }

        return [.. entries.OrderBy(e => e.Item1, StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("rclonepool_data/ab/ab01", true)]
    [InlineData("rclonepool_manifests/0123abcd-r2.json", true)]
    [InlineData("a.b-c_d/E9", true)]
    [InlineData("", false)]
    [InlineData("/abs", false)]
    [InlineData("dir/", false)]
    [InlineData("a//b", false)]
    [InlineData("a/../b", false)]
    [InlineData("./a", false)]
    [InlineData("with space", false)]
    [InlineData("Ünï", false)]
    [InlineData("a\\b", false)]
    public void Only_plain_object_paths_are_read_directly(string path, bool plain) =>
        Assert.Equal(plain, LocalDirectStore.IsPlainObjectPath(path));

    private RcloneOptions Options() => new() { Environment = new Dictionary<string, string?> { ["RCLONE_CONFIG"] = ConfigFile } };

    private static async Task<byte[]> ReadAsync(IRemoteStore store, RemotePath path, long offset, long count)
    {
        await using var stream = await store.OpenReadAsync(path, offset, count, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }
}
