using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Tests.Unit.Remotes;

public sealed class RcloneConfigInspectorNameTests
{
    [Theory]
    [InlineData("gdrive:", "gdrive")]
    [InlineData("gdrive:some/dir", "gdrive")]
    [InlineData("my-remote_2:", "my-remote_2")]
    [InlineData("gdrive,shared_with_me=true:dir", "gdrive")]
    [InlineData("/srv/disk1", null)]
    [InlineData("relative/dir:with colon", null)]
    [InlineData("disk", null)]
    [InlineData(":webdav,url='http://h/':", null)]
    public void The_config_section_of_a_remote_spelling_is_found(string remote, string? expected) =>
        Assert.Equal(expected, RcloneConfigInspector.ConfigName(remote));
}
