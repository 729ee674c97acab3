using RclonePool.Core.Events;
using RclonePool.Core.Paths;

namespace RclonePool.Tests.Unit.Jobs;

public sealed class HookPointTests
{
    [Fact]
    public async Task Upload_and_delete_publish_their_hook_points_in_order()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        await jobs.PutAsync("/f", PoolJobs.Data(PoolJobs.Chunk + 1, 1));
        await jobs.Pool.DeleteAsync(PoolPath.Parse("/f"), false, CancellationToken.None);

        var hooks = jobs.Events.Where(e => e.Type != PoolEventType.Progress).Select(e => (e.Type.HookName(), e.Path)).ToList();
        Assert.Equal([("PRE_UPLOAD", "/f"), ("POST_UPLOAD", "/f"), ("PRE_DELETE", "/f"), ("POST_DELETE", "/f")], hooks);
    }

    [Fact]
    public async Task A_throwing_subscriber_does_not_fail_an_upload()
    {
        await using var jobs = await PoolJobs.CreateAsync();
        using var bad = jobs.Pool.Events.Subscribe(_ => throw new InvalidOperationException("plugin bug"));
        var data = PoolJobs.Data(3 * PoolJobs.Chunk, 2);
        await jobs.PutAsync("/f", data);
        Assert.Equal(data, await jobs.ReadAsync("/f"));
        Assert.True(bad.Failures > 0);
    }
}
