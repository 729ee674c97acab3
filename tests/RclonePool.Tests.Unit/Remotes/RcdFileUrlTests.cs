using RclonePool.Core.Remotes.Rcd;

namespace RclonePool.Tests.Unit.Remotes;

public sealed class RcdFileUrlTests
{
    [Theory]
    [InlineData("gdrive:", "a/b.bin", true)]
    [InlineData("/srv/disk1", "rclonepool_data/ab/cd", true)]
    [InlineData("/srv/disk1/", "x", true)]
    [InlineData("crypt:pool dir", "Ünï cødé [1] 50% #x?.bin", true)]
    [InlineData(":webdav,url='http://127.0.0.1:8080/':", "x", false)]
    [InlineData("odd]name:", "x", false)]
    [InlineData("gdrive:", "a//b", false)]
    [InlineData("gdrive:", "a/./b", false)]
    [InlineData("gdrive:", "../b", false)]
    [InlineData("gdrive:", "", false)]
    public void Only_names_the_rc_router_leaves_alone_are_served(string remote, string path, bool expected) =>
        Assert.Equal(expected, RcdFileUrl.CanServe(remote, path));

    [Fact]
    public void Every_part_of_the_url_is_percent_escaped_and_kept_verbatim()
    {
        var url = RcdFileUrl.For(new Uri("http://127.0.0.1:4242/"), "/srv/disk 1", "dir [x]/50% #1?.bin");

        Assert.Equal("http://127.0.0.1:4242/%5B%2Fsrv%2Fdisk%201%5D/dir%20%5Bx%5D/50%25%20%231%3F.bin", url.OriginalString);
        Assert.Equal("/%5B%2Fsrv%2Fdisk%201%5D/dir%20%5Bx%5D/50%25%20%231%3F.bin", url.AbsolutePath);
    }
}
