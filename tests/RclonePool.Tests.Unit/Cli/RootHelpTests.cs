using System.CommandLine;
using System.CommandLine.Help;
using System.Globalization;
using System.Reflection;
using RclonePool.Cli;
using RclonePool.Cli.Help;
using RclonePool.Tests.Unit.Config;

namespace RclonePool.Tests.Unit.Cli;

/// <summary>
/// 'rclonepool --help' prints an embedded text instead of building the command tree (RootHelp): it must be exactly what
/// System.CommandLine renders from the real tree, without a width limit (output redirected) and at terminal widths.
/// With RCLONEPOOL_UPDATE_HELP=1 the first test writes today's rendering into src/RclonePool.Cli/Help/root-help.txt.
/// </summary>
public sealed class RootHelpTests
{
    private static readonly string SourcePath = Path.Combine(RepositoryRoot.Path, "src", "RclonePool.Cli", "Help", "root-help.txt");

    [Fact]
    public void Embedded_text_is_what_the_command_tree_renders()
    {
        var rendered = Render(int.MaxValue).Replace(UsageOf(RootCommand.ExecutableName), UsageOf("rclonepool"), StringComparison.Ordinal);
        if (rendered != RootHelp.Text() && Environment.GetEnvironmentVariable("RCLONEPOOL_UPDATE_HELP") == "1")
        {
            File.WriteAllText(SourcePath, rendered);
            Assert.Fail($"{SourcePath} written; rebuild and run again without RCLONEPOOL_UPDATE_HELP.");
        }

        Assert.True(rendered == RootHelp.Text(),
            "src/RclonePool.Cli/Help/root-help.txt differs from the command tree's help; run the unit tests with RCLONEPOOL_UPDATE_HELP=1 (filter *RootHelp*) to regenerate it.");
    }

    [Theory]
    [InlineData(40)]
    [InlineData(57)]
    [InlineData(80)]
    [InlineData(100)]
    [InlineData(120)]
    [InlineData(133)]
    [InlineData(200)]
    [InlineData(320)]
    [InlineData(1000)]
    public void Laid_out_for_a_terminal_it_equals_the_command_trees_help_at_that_width(int width)
    {
        var page = new StringWriter();
        // The tree is named after the running program (the test host here): the embedded text is laid out with that name.
        var text = RootHelp.Text().Replace(UsageOf("rclonepool"), UsageOf(RootCommand.ExecutableName), StringComparison.Ordinal);
        HelpLayout.Write(page, RootHelp.Parse(text), width);

        Assert.Equal(Render(width), page.ToString());
    }

    [Theory]
    [InlineData(new[] { "--help" }, true)]
    [InlineData(new[] { "-h" }, true)]
    [InlineData(new[] { "-?" }, true)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "ls", "--help" }, false)]
    [InlineData(new[] { "--help", "ls" }, false)]
    [InlineData(new[] { "--version" }, false)]
    public void Only_help_on_its_own_takes_the_short_way(string[] args, bool expected)
    {
        Assert.Equal(expected, RootHelp.AsksForHelpAlone(args));
    }

    [Fact]
    public void Wrap_keeps_line_breaks_and_cuts_after_the_last_blank_within_the_width()
    {
        Assert.Equal(["one two ", "three"], HelpLayout.Wrap("one two three", 9));
        Assert.Equal(["abcd", "efgh", "ij"], HelpLayout.Wrap("abcdefghij", 4));
        Assert.Equal(["a", "", "b"], HelpLayout.Wrap("a\n\nb", 10));
        Assert.Empty(HelpLayout.Wrap("   ", 10));
    }

    private static string UsageOf(string program) => $"Usage:\n  {program} [command]";

    /// <summary>System.CommandLine's own help of the real tree at <paramref name="width"/> (its width is not public: set through reflection).</summary>
    private static string Render(int width)
    {
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            var root = CliApp.BuildRoot();
            var action = (HelpAction)root.Options.OfType<HelpOption>().Single().Action!;
            var builderType = typeof(HelpAction).Assembly.GetType("System.CommandLine.Help.HelpBuilder", throwOnError: true)!;
            var builder = Activator.CreateInstance(builderType, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, [width], CultureInfo.InvariantCulture);
            typeof(HelpAction).GetProperty("Builder", BindingFlags.Instance | BindingFlags.NonPublic)!.SetValue(action, builder);
            var output = new StringWriter();
            Assert.Equal(0, root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output }));
            return output.ToString();
        }
        finally
        {
            CultureInfo.CurrentUICulture = culture;
        }
    }
}
