namespace RclonePool.Cli.Commands;

/// <summary>Builds command descriptions that end with examples, shown by --help.</summary>
internal static class CommandText
{
    public static string WithExamples(string description, params string[] examples) =>
        description + "\n\nExamples:\n" + string.Join("\n", examples.Select(e => "  " + e));
}
