namespace RclonePool.Cli.Help;

/// <summary>One row of a two-column help section: the usage label and the description (which may hold line breaks).</summary>
internal sealed record HelpRow(string First, string Second);
