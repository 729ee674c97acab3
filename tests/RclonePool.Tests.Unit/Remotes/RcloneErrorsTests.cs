using RclonePool.Core.Errors;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Tests.Unit.Remotes;

public sealed class RcloneErrorsTests
{
    [Theory]
    [InlineData("didn't find section in config file", null, null, PoolErrorKind.BadInput)]
    [InlineData("Failed to create file system for \"nosuch:x\": didn't find section in config file", null, 1, PoolErrorKind.BadInput)]
    [InlineData("didn't find backend called \"nosuch\"", null, 1, PoolErrorKind.BadInput)]
    [InlineData("unable to decrypt configuration and not allowed to ask for password - set RCLONE_CONFIG_PASS", null, 1, PoolErrorKind.Environment)]
    [InlineData("object not found", 404, null, PoolErrorKind.NotFound)]
    [InlineData("error in ListJSON: directory not found", 404, null, PoolErrorKind.NotFound)]
    [InlineData("Failed to cat with 2 errors: last error was: directory not found", null, 3, PoolErrorKind.NotFound)]
    [InlineData("Failed to deletefile: a/nope is a directory or doesn't exist", null, 1, PoolErrorKind.NotFound)]
    [InlineData("couldn't list files: Propfind \"http://127.0.0.1:1/\": dial tcp 127.0.0.1:1: connect: connection refused", 500, null, PoolErrorKind.Transient)]
    [InlineData("read tcp 10.0.0.2:5555->1.2.3.4:443: read: connection reset by peer", null, 1, PoolErrorKind.Transient)]
    [InlineData("context deadline exceeded", 500, null, PoolErrorKind.Transient)]
    [InlineData("googleapi: Error 403: User Rate Limit Exceeded., userRateLimitExceeded", null, 1, PoolErrorKind.Transient)]
    [InlineData("503 Service Unavailable", null, 1, PoolErrorKind.Transient)]
    [InlineData("something odd", null, 5, PoolErrorKind.Transient)]
    [InlineData("something odd", 429, null, PoolErrorKind.Transient)]
    [InlineData("googleapi: Error 403: The user's Drive storage quota has been exceeded., storageQuotaExceeded", null, 1, PoolErrorKind.NoSpace)]
    [InlineData("write /srv/disk/x: no space left on device", 500, null, PoolErrorKind.NoSpace)]
    [InlineData("open /srv/disk/x: permission denied", 500, null, PoolErrorKind.Remote)]
    [InlineData("couldn't fetch token: invalid_grant: maybe token expired? - try refreshing with \"rclone config reconnect gdrive:\"", null, 1, PoolErrorKind.Remote)]
    [InlineData("something odd", 400, null, PoolErrorKind.BadInput)]
    [InlineData("something odd", 500, null, PoolErrorKind.Remote)]
    public void Failures_are_classified_by_status_exit_code_and_text(string message, int? status, int? exitCode, PoolErrorKind expected)
    {
        Assert.Equal(expected, RcloneErrors.Classify(message, status, exitCode));
    }

    [Fact]
    public void The_message_names_the_object_the_remote_and_what_to_do()
    {
        var error = RcloneErrors.Failed("read", "gdrive:data/x.bin", "gdrive:", "didn't find section in config file", 500);

        Assert.Equal(PoolErrorKind.BadInput, error.Kind);
        Assert.StartsWith("rclone could not read gdrive:data/x.bin: didn't find section in config file.", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"gdrive:\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("rclone config", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_of_a_commands_stderr_is_its_final_failure_line_without_the_log_prefix()
    {
        string[] stderr =
        [
            "2026/11/25 21:48:26 NOTICE: Config file \"/root/.config/rclone/rclone.conf\" not found - using defaults",
            "2026/11/25 21:48:26 ERROR : : error listing: directory not found",
            "2026/11/25 21:48:26 Failed to cat with 2 errors: last error was: directory not found",
        ];

        Assert.Equal("Failed to cat with 2 errors: last error was: directory not found", RcloneErrors.Summarize(stderr));
        Assert.Equal("ERROR : boom", RcloneErrors.Summarize(["2026/11/25 21:48:26 NOTICE: hello", "2026/11/25 21:48:26 ERROR : boom"]));
        Assert.Equal("rclone failed without saying why", RcloneErrors.Summarize([]));
    }

    [Theory]
    [InlineData("doesn't support about", true)]
    [InlineData("about call failed: doesn't support about", true)]
    [InlineData("directory not found", false)]
    public void About_unsupported_is_recognised(string message, bool expected) =>
        Assert.Equal(expected, RcloneErrors.IsAboutUnsupported(message));
}
