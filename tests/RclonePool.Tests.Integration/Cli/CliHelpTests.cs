using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>
/// The real program's help: 'rclonepool --help' (printed from the embedded text, without the command tree) is the root
/// help, byte for byte, and a subcommand's help still comes from the tree.
/// </summary>
public sealed class CliHelpTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public async Task Root_help_is_the_embedded_text_and_exits_0(string option)
    {
        var result = await CliRunner.RunAsync([option]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var expected = await File.ReadAllTextAsync(Packaging.Repository.File("src", "RclonePool.Cli", "Help", "root-help.txt"), TestContext.Current.CancellationToken);
        Assert.Equal(expected, result.StdOut);
        Assert.Equal(string.Empty, result.StdErr);
    }

    [Fact]
    public async Task A_subcommands_help_comes_from_the_command_tree()
    {
        var result = await CliRunner.RunAsync(["ls", "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:\n  rclonepool ls ", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("List pool entries.", result.StdOut, StringComparison.Ordinal);
    }
}
