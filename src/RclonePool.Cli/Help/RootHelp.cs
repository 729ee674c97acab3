using System.Globalization;

namespace RclonePool.Cli.Help;

/// <summary>
/// <c>rclonepool --help</c> without building the command tree (docs/benchmarks.md, CLI start-up): the root command's
/// help as System.CommandLine renders it to a file (embedded, <c>Help/root-help.txt</c>), printed as is when the
/// output is redirected and laid out again for the terminal's width otherwise (<see cref="HelpLayout"/>). Building the
/// tree and System.CommandLine's help builder cost about 50 ms of CPU, most of it JIT compiling generic code that
/// ReadyToRun cannot precompile. <c>RootHelpTests</c> hold the text equal to the real tree's help at several widths,
/// and say how to regenerate it.
/// </summary>
internal static class RootHelp
{
    public const string ResourceName = "RclonePool.Cli.Help.root-help.txt";

    /// <summary>
    /// True for exactly <c>--help</c>, <c>-h</c> or <c>-?</c> on its own, run as <c>rclonepool</c> (System.CommandLine
    /// names the root command after the program) in an English or invariant UI culture (the text's).
    /// </summary>
    public static bool IsRequest(string[] args) =>
        AsksForHelpAlone(args)
        && Path.GetFileNameWithoutExtension(Environment.GetCommandLineArgs()[0]) == "rclonepool"
        && CultureInfo.CurrentUICulture.TwoLetterISOLanguageName is "iv" or "en";

    /// <summary>The arguments are exactly one of the help option's aliases shown in the help.</summary>
    public static bool AsksForHelpAlone(string[] args) => args is ["--help" or "-h" or "-?"];

    /// <summary>Writes the root help to standard output, wrapped for the terminal when there is one; returns the exit code (0).</summary>
    public static int Write()
    {
        var text = Text();
        if (Console.IsOutputRedirected)
        {
            Console.Out.Write(text);
        }
        else
        {
            var page = new StringWriter();
            HelpLayout.Write(page, Parse(text), Console.WindowWidth);
            Console.Out.Write(page.ToString());
        }

        Console.Out.Flush();
        return 0;
    }

    /// <summary>The embedded text: the root help rendered without a width limit.</summary>
    public static string Text()
    {
        using var stream = typeof(RootHelp).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Reads the sections back from help rendered without a width limit: sections end at an empty line; the
    /// description and usage are indented text; the other sections are rows whose second column starts two spaces
    /// after the longest first column, with a description's further lines under it.
    /// </summary>
    public static List<HelpSection> Parse(string text)
    {
        var sections = new List<HelpSection>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var at = 0;
        while (at < lines.Length)
        {
            if (lines[at].Length == 0)
            {
                at++;
                continue;
            }

            var heading = lines[at++];
            var body = new List<string>();
            while (at < lines.Length && lines[at].Length > 0)
            {
                body.Add(lines[at++]);
            }

            sections.Add(heading is "Description:" or "Usage:"
                ? new HelpSection(heading, string.Join('\n', body.Select(Unindent)), [])
                : new HelpSection(heading, null, Rows(body)));
        }

        return sections;
    }

    private static string Unindent(string line) => line.Length >= 2 ? line[2..] : string.Empty;

    private static List<HelpRow> Rows(List<string> body)
    {
        var firstWidth = 0;
        foreach (var line in body)
        {
            if (StartsRow(line))
            {
                var end = line.IndexOf("  ", 2, StringComparison.Ordinal);
                firstWidth = Math.Max(firstWidth, (end < 0 ? line.Length : end) - 2);
            }
        }

        var secondStart = 2 + firstWidth + 2;
        var rows = new List<HelpRow>();
        string? first = null;
        var second = new List<string>();
        foreach (var line in body)
        {
            if (StartsRow(line))
            {
                if (first is not null)
                {
                    rows.Add(new HelpRow(first, string.Join('\n', second)));
                }

                first = line[2..Math.Min(line.Length, 2 + firstWidth)].TrimEnd();
                second.Clear();
            }

            second.Add(line.Length > secondStart ? line[secondStart..] : string.Empty);
        }

        if (first is not null)
        {
            rows.Add(new HelpRow(first, string.Join('\n', second)));
        }

        return rows;
    }

    private static bool StartsRow(string line) => line.Length > 2 && line[2] != ' ';
}
