using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace RclonePool.Cli.Output;

/// <summary>
/// The <c>--json</c> output of the report commands: one indented document and a newline on stdout. The shapes are the
/// records in <c>Output/Json</c>, serialised by <see cref="Json.CliJsonContext"/>.
/// </summary>
internal static class JsonOutput
{
    /// <summary>Writes <paramref name="value"/> as indented JSON and a newline to stdout.</summary>
    public static void Write<T>(T value, JsonTypeInfo<T> info)
    {
        using var stdout = Console.OpenStandardOutput();
        Write(stdout, value, info);
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON and a newline to <paramref name="target"/>.</summary>
    public static void Write<T>(Stream target, T value, JsonTypeInfo<T> info)
    {
        JsonSerializer.Serialize(target, value, info);
        target.Write("\n"u8);
    }
}
