using RclonePool.Core.Config;
using RclonePool.Core.Remotes;

namespace RclonePool.Tests.Unit.Remotes;

/// <summary>When the factory starts rclone rcd ahead of the first call: only for pools that will need it (real start: integration tests).</summary>
public sealed class RemoteStoreFactoryTests
{
    [Theory]
    [InlineData(new[] { "/srv/disk1", "/srv/disk2" }, false)]
    [InlineData(new[] { "/srv/disk1", "plugin=directory" }, false)]
    [InlineData(new[] { "/srv/disk1", "gdrive:" }, true)]
    [InlineData(new[] { "gdrive:pool", "s3:bucket" }, true)]
    [InlineData(new[] { "/odd:name" }, true)]
    public void Rclone_starts_ahead_only_when_a_remote_is_reached_through_it(string[] remotes, bool expected) =>
        Assert.Equal(expected, RemoteStoreFactory.NeedsRclone(new PoolConfig { Remotes = [.. remotes] }));

    [Fact]
    public void Local_directories_need_rclone_with_crypt_or_without_direct_access()
    {
        Assert.True(RemoteStoreFactory.NeedsRclone(new PoolConfig { Remotes = ["/srv/disk1"], UseCrypt = true }));
        Assert.True(RemoteStoreFactory.NeedsRclone(new PoolConfig { Remotes = ["/srv/disk1"], LocalDirectWrites = false }));
        Assert.True(RemoteStoreFactory.NeedsRclone(new PoolConfig { Remotes = ["/srv/disk1"], LocalDirectReads = false }));
    }
}
