using System.Diagnostics;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Tests.Integration.Remotes;

/// <summary>The conformance tests for the rcd transport over a loopback WebDAV server, plus faults of that server.</summary>
public sealed class RcdWebDavStoreTests(RcdWebDavFixture fixture) : RemoteStoreConformanceTests(fixture), IClassFixture<RcdWebDavFixture>
{
    [Fact]
    public async Task A_stopped_server_gives_a_transient_error_in_bounded_time()
    {
        var root = Path.Combine(Fixture.Root, "fault-" + Guid.NewGuid().ToString("N")[..8]);
        var config = root + ".conf";
        await using var server = await WebDavServer.StartAsync(root, config);
        await File.WriteAllTextAsync(config, server.ConfigSection("fault"), Ct);
        var options = new RcloneOptions
        {
            Environment = new Dictionary<string, string?> { ["RCLONE_CONFIG"] = config },
            Flags = ["--low-level-retries", "1", "--contimeout", "2s"],
        };
        await using var store = RemoteStoreFactory.Create(useDaemon: true, options);
        var path = new RemotePath("fault:", "dir/object.bin");
        await store.WriteAsync(path, new MemoryStream(new byte[1000]), 1000, Ct);

        await server.StopAsync();

        var clock = Stopwatch.StartNew();
        PoolException[] errors =
        [
            await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(path, Ct)),
            await Assert.ThrowsAsync<PoolException>(() => store.OpenReadAsync(path, 0, 100, Ct)),
            await Assert.ThrowsAsync<PoolException>(() => store.WriteAsync(path, new MemoryStream(new byte[10]), 10, Ct)),
            await Assert.ThrowsAsync<PoolException>(async () =>
            {
                await foreach (var entry in store.ListAsync(new RemotePath("fault:", "dir"), recursive: false, Ct))
                {
                    Assert.Fail($"listed {entry.Path} from a stopped server");
                }
            }),
        ];

        Assert.All(errors, e => Assert.Equal(PoolErrorKind.Transient, e.Kind));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the errors took {clock.Elapsed}");
    }

    [Fact]
    public async Task The_call_timeout_bounds_a_call_that_rclone_keeps_retrying()
    {
        var root = Path.Combine(Fixture.Root, "slow-" + Guid.NewGuid().ToString("N")[..8]);
        var config = root + ".conf";
        await using (var server = await WebDavServer.StartAsync(root, config))
        {
            await File.WriteAllTextAsync(config, server.ConfigSection("slow"), Ct);
        }

        // rclone's own low-level retries, given back by the user's flags (rclonepool sets one try), would take tens of
        // seconds against the stopped server.
        var options = new RcloneOptions
        {
            Flags = ["--low-level-retries", "10"],
            Environment = new Dictionary<string, string?> { ["RCLONE_CONFIG"] = config },
            CallTimeout = TimeSpan.FromSeconds(2),
        };
        await using var store = RemoteStoreFactory.Create(useDaemon: true, options);
        var path = new RemotePath("slow:", "dir/object.bin");
        var clock = Stopwatch.StartNew();

        var stat = await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(path, Ct));
        var read = await Assert.ThrowsAsync<PoolException>(() => store.OpenReadAsync(path, 0, -1, Ct));

        Assert.Equal(PoolErrorKind.Transient, stat.Kind);
        Assert.Equal(PoolErrorKind.Transient, read.Kind);
        Assert.Contains("within 2 s", stat.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the errors took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_remote_given_as_a_connection_string_works_too()
    {
        // The URL inside makes the remote unservable by the rc file server ("//"), so reads go through `rclone cat`.
        var remote = fixture.Server.ConnectionString;
        var path = new RemotePath(remote, Rel("connection string/object ü.bin"));
        var data = RandomBytes(70_000);

        await Store.WriteAsync(path, new MemoryStream(data), data.Length, Ct);

        Assert.Equal(data, await ReadAllAsync(path));
        Assert.Equal(data.AsSpan(1000, 500).ToArray(), await ReadAllAsync(path, 1000, 500));
        Assert.Equal(data.Length, (await Store.StatAsync(path, Ct))?.Size);
        Assert.True(await Store.DeleteAsync(path, Ct));
    }
}
