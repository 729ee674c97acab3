namespace RclonePool.Cli.Help;

/// <summary>
/// One section of a help page as System.CommandLine lays it out: a heading, then either a text block (the description,
/// the usage line) or two-column rows (options, commands).
/// </summary>
internal sealed record HelpSection(string Heading, string? Text, IReadOnlyList<HelpRow> Rows)
{
    public bool IsText => Text is not null;
}
