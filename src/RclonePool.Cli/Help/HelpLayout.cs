namespace RclonePool.Cli.Help;

/// <summary>
/// Lays out help sections for a terminal width the way System.CommandLine 2.0's help does (docs/benchmarks.md, CLI
/// start-up): sections separated by a blank line, text indented by two spaces and wrapped at the last blank before
/// the width, two columns that share the width when they do not fit side by side. <see cref="RootHelp"/> uses it to
/// print the root command's help without building the command tree; a unit test holds it equal to
/// System.CommandLine's own output at several widths.
/// </summary>
internal static class HelpLayout
{
    private const string Indent = "  ";

    public static void Write(TextWriter output, IReadOnlyList<HelpSection> sections, int maxWidth)
    {
        if (maxWidth <= 0)
        {
            maxWidth = int.MaxValue;
        }

        foreach (var section in sections)
        {
            output.WriteLine(section.Heading);
            if (section.IsText)
            {
                foreach (var line in Wrap(section.Text!, maxWidth - Indent.Length))
                {
                    output.Write(Indent);
                    output.WriteLine(line);
                }
            }
            else
            {
                WriteColumns(output, section.Rows, maxWidth);
            }

            output.WriteLine();
        }
    }

    private static void WriteColumns(TextWriter output, IReadOnlyList<HelpRow> rows, int maxWidth)
    {
        var firstWidth = 0;
        var secondWidth = 0;
        foreach (var row in rows)
        {
            firstWidth = Math.Max(firstWidth, row.First.Length);
            secondWidth = Math.Max(secondWidth, row.Second.Length);
        }

        if ((long)firstWidth + secondWidth + (2 * Indent.Length) > maxWidth)
        {
            // The first column takes at most half the width (its labels wrapped to fit), the second the rest.
            var firstMax = (maxWidth / 2) - Indent.Length;
            if (firstWidth > firstMax)
            {
                firstWidth = 0;
                foreach (var row in rows)
                {
                    foreach (var part in Wrap(row.First, firstMax))
                    {
                        firstWidth = Math.Max(firstWidth, part.Length);
                    }
                }
            }

            secondWidth = maxWidth - firstWidth - (2 * Indent.Length);
        }

        foreach (var row in rows)
        {
            var first = Wrap(row.First, firstWidth);
            var second = Wrap(row.Second, secondWidth);
            for (var i = 0; i < Math.Max(first.Count, second.Count); i++)
            {
                var left = i < first.Count ? first[i] : string.Empty;
                var right = i < second.Count ? second[i] : string.Empty;
                output.Write(Indent);
                output.Write(left);
                if (!string.IsNullOrWhiteSpace(right))
                {
                    output.Write(new string(' ', Math.Max(0, firstWidth - left.Length)));
                    output.Write(Indent);
                    output.Write(right);
                }

                output.WriteLine();
            }
        }
    }

    /// <summary>
    /// The lines of <paramref name="text"/>: its own line breaks kept, and each longer line cut after the last white
    /// space within <paramref name="width"/> (or at the width when it has none).
    /// </summary>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return lines;
        }

        foreach (var line in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (line.Length <= width)
            {
                lines.Add(line);
                continue;
            }

            var start = 0;
            while (start < line.Length)
            {
                if (line.Length - start < width)
                {
                    lines.Add(line[start..]);
                    break;
                }

                var cut = width;
                for (var k = Math.Min(width, line.Length - start) - 1; k >= 0; k--)
                {
                    if (char.IsWhiteSpace(line[start + k]))
                    {
                        cut = k + 1;
                        break;
                    }
                }

                lines.Add(line.Substring(start, cut));
                start += cut;
            }
        }

        return lines;
    }
}
