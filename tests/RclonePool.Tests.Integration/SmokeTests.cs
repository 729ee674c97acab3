namespace RclonePool.Tests.Integration;

public sealed class SmokeTests
{
    [Fact]
    public void Rclone_is_installed() => Assert.True(File.Exists("/usr/bin/rclone") || Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, "rclone"))));
}
