using System.Text.Json;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Output;

/// <summary>The <c>--json</c> output of the report commands: one indented object on stdout, and the shapes they share.</summary>
internal static class JsonOutput
{
    /// <summary>Writes one indented JSON object (its members written by <paramref name="members"/>) and a newline to stdout.</summary>
    public static void WriteObject(Action<Utf8JsonWriter> members)
    {
        using var stdout = Console.OpenStandardOutput();
        WriteObject(stdout, members);
    }

    /// <summary>Writes one indented JSON object (its members written by <paramref name="members"/>) and a newline to <paramref name="target"/>.</summary>
    public static void WriteObject(Stream target, Action<Utf8JsonWriter> members)
    {
        using (var writer = new Utf8JsonWriter(target, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        target.Write("\n"u8);
    }

    /// <summary>An array of damage findings (verify, health): kind, where, and what.</summary>
    public static void WriteDamage(Utf8JsonWriter writer, string name, IEnumerable<Damage> damage)
    {
        writer.WriteStartArray(name);
        foreach (var d in damage)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", d.Kind.Name());
            WriteOptional(writer, "path", d.Path);
            WriteOptional(writer, "file_id", d.FileId);
            if (d.Chunk is { } chunk)
            {
                writer.WriteNumber("chunk", chunk);
            }

            WriteOptional(writer, "remote", d.Remote);
            WriteOptional(writer, "object", d.Object);
            writer.WriteString("detail", d.Detail);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
