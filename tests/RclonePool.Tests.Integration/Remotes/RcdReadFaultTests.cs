using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;
using RclonePool.Core.Remotes.Rcd;
using RclonePool.Core.Remotes.Rclone;
using RclonePool.Tests.Integration.Faults;

namespace RclonePool.Tests.Integration.Remotes;

/// <summary>
/// rclone's file server answers a plain 404 whenever it cannot open an object, also when the remote holds it and just
/// went down: a read must not take that for a missing object (which the pool would report as damage).
/// </summary>
public sealed class RcdReadFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_object_the_remote_holds_but_cannot_hand_over_is_an_unreachable_remote_not_a_missing_object()
    {
        await using var server = new OpenFailingWebDav(new Dictionary<string, long> { ["chunks/obj"] = 4096 });
        await using var store = Store(server);

        var error = await Assert.ThrowsAsync<PoolException>(() => store.OpenReadAsync(new RemotePath("half:", "chunks/obj"), 0, 4096, Ct));

        Assert.True(server.Gets > 0, "rclone never asked for the object's bytes");
        Assert.True(error.IsTransient, $"{error.Kind}: {error.Message}");
        Assert.Contains("half:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_object_the_remote_does_not_hold_is_still_missing()
    {
        await using var server = new OpenFailingWebDav(new Dictionary<string, long>());
        await using var store = Store(server);

        var error = await Assert.ThrowsAsync<PoolException>(() => store.OpenReadAsync(new RemotePath("half:", "chunks/obj"), 0, 4096, Ct));

        Assert.Equal(PoolErrorKind.NotFound, error.Kind);
    }

    private static RcdRemoteStore Store(OpenFailingWebDav server) => new(new RcloneOptions
    {
        Environment = new Dictionary<string, string?>
        {
            ["RCLONE_CONFIG_HALF_TYPE"] = "webdav",
            ["RCLONE_CONFIG_HALF_URL"] = server.Url.ToString(),
        },
    });
}
