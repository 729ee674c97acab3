using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Plugins;
using RclonePool.Core.Remotes;
using RclonePool.Tests.Support.Remotes;

namespace RclonePool.Tests.Unit.Plugins;

/// <summary>How a storage_backend plugin's failures reach the pool: as a remote that is down, named, and never as a plugin's exception.</summary>
public sealed class StorageBackendStoreTests
{
    private const string Remote = "plugin=mem";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_plugin_exception_is_a_transient_error_naming_the_plugin_and_three_in_a_row_disable_it()
    {
        var plugin = new MemoryStorageBackend { Failure = new IOException("disk gone") };
        var store = Store(plugin);

        for (var i = 0; i < PluginGuard.Limit; i++)
        {
            var error = await Assert.ThrowsAsync<PoolException>(() => store.WriteAsync(new RemotePath(Remote, "a/b"), new MemoryStream([1, 2]), 2, Ct));
            Assert.Equal(PoolErrorKind.Transient, error.Kind);
            Assert.Contains("storage_backend plugin storage_backend:mem failed the write of a/b: IOException: disk gone", error.Message, StringComparison.Ordinal);
        }

        Assert.True(store.Guard.IsDisabled);
        plugin.Failure = null;
        var calls = plugin.Calls;
        var disabled = await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(new RemotePath(Remote, "a/b"), Ct));
        Assert.Equal(PoolErrorKind.Transient, disabled.Kind);
        Assert.Contains("was disabled after 3 failures in a row", disabled.Message, StringComparison.Ordinal);
        Assert.Equal(calls, plugin.Calls);
    }

    [Fact]
    public async Task Missing_objects_are_answers_and_do_not_count_as_failures()
    {
        var plugin = new MemoryStorageBackend();
        var store = Store(plugin);

        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await store.StatAsync(new RemotePath(Remote, "none"), Ct));
            Assert.Equal(PoolErrorKind.NotFound, (await Assert.ThrowsAsync<PoolException>(() => store.OpenReadAsync(new RemotePath(Remote, "none"), 0, -1, Ct))).Kind);
        }

        Assert.False(store.Guard.IsDisabled);
    }

    [Fact]
    public async Task A_plugin_that_hangs_times_out_as_a_remote_that_is_down()
    {
        var store = new StorageBackendStore(Remote, new HangingBackend(), new PluginGuard("storage_backend:hangs", TimeSpan.FromMilliseconds(100), NullLogger.Instance));

        var error = await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(new RemotePath(Remote, "x"), Ct));

        Assert.Equal(PoolErrorKind.Transient, error.Kind);
        Assert.Contains("did not finish the stat of x within 0.1 s (plugin_timeout)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_router_sends_plugin_remotes_to_their_plugin_and_the_rest_to_the_transport()
    {
        var plugin = new MemoryStorageBackend();
        var memory = new InMemoryRemoteStore("mem:");
        await using var router = new StorageBackendRouter(memory, new Dictionary<string, IRemoteStore> { [Remote] = Store(plugin) });

        await router.WriteAsync(new RemotePath(Remote, "p/obj"), new MemoryStream([7]), 1, Ct);
        await router.WriteAsync(new RemotePath("mem:", "r/obj"), new MemoryStream([8]), 1, Ct);

        Assert.Equal([7], plugin.Objects["p/obj"]);
        Assert.NotNull(await memory.StatAsync(new RemotePath("mem:", "r/obj"), Ct));
        Assert.Null(await memory.StatAsync(new RemotePath("mem:", "p/obj"), Ct));
        Assert.Null(await router.AboutAsync(Remote, Ct));
    }

    [Fact]
    public async Task A_remote_without_its_plugin_fails_every_call_with_the_reason_and_what_to_do()
    {
        var reason = StorageBackendErrors.WhyNotLoaded(Remote, catalog: null);
        var store = new MissingStorageBackend(Remote, reason);

        var errors = new[]
        {
            await Assert.ThrowsAsync<PoolException>(() => store.StatAsync(new RemotePath(Remote, "x"), Ct)),
            await Assert.ThrowsAsync<PoolException>(async () =>
            {
                await foreach (var entry in store.ListAsync(new RemotePath(Remote, ""), recursive: true, Ct))
                {
                    Assert.Fail($"listed {entry.Path}");
                }
            }),
            await Assert.ThrowsAsync<PoolException>(() => store.WriteAsync(new RemotePath(Remote, "x"), new MemoryStream(), 0, Ct)),
        };

        Assert.All(errors, e =>
        {
            Assert.Equal(PoolErrorKind.Transient, e.Kind);
            Assert.Contains("plugin=mem cannot be reached: it is served by the storage_backend plugin mem, and enable_plugins is off", e.Message, StringComparison.Ordinal);
            Assert.Contains("'rclonepool plugins enable storage_backend:mem'", e.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("plugin=directory", null)]
    [InlineData("plugin=my-store_2", null)]
    [InlineData("plugin=", "a plugin name is 1 to 64 lower case letters")]
    [InlineData("plugin=Dir", "a plugin name is 1 to 64 lower case letters")]
    [InlineData("plugin=dir:sub", "a plugin name is 1 to 64 lower case letters")]
    public void The_config_accepts_plugin_remotes_with_a_plugin_name(string remote, string? problem)
    {
        var problems = ConfigValidator.Validate(new PoolConfig { Remotes = ["/srv/d1", remote] });

        if (problem is null)
        {
            Assert.DoesNotContain(problems, p => p.Key == "remotes");
        }
        else
        {
            Assert.Contains(problems, p => p.Key == "remotes" && p.Message.Contains(problem, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Use_crypt_is_refused_for_a_plugin_remote()
    {
        var problems = ConfigValidator.Validate(new PoolConfig { Remotes = ["a:", "plugin=directory"], UseCrypt = true, CryptRemotes = ["ca:", "cb:"] });

        Assert.Contains(problems, p => p.Key == "use_crypt" && p.Message.Contains("\"plugin=directory\" is a storage_backend plugin, which no rclone crypt remote can wrap", StringComparison.Ordinal));
    }

    private static StorageBackendStore Store(MemoryStorageBackend plugin) =>
        new(Remote, plugin, new PluginGuard("storage_backend:mem", TimeSpan.FromSeconds(5), NullLogger.Instance));

    private sealed class HangingBackend : RclonePool.Plugins.IStorageBackendPlugin
    {
        public RclonePool.Plugins.PluginMetadata Metadata { get; } = new("hangs", "1.0.0", "tests", "Never answers.", RclonePool.Plugins.PluginType.StorageBackend);

        public Task WriteAsync(string path, Stream content, CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, CancellationToken.None);

        public Task<Stream> OpenReadAsync(string path, long offset, long count, CancellationToken cancellationToken) =>
            Task.Delay(Timeout.Infinite, CancellationToken.None).ContinueWith(_ => Stream.Null, TaskScheduler.Default);

        public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken) => Task.FromResult(false);

        public IAsyncEnumerable<string> ListAsync(string directory, CancellationToken cancellationToken) => AsyncEnumerable.Empty<string>();
    }
}
