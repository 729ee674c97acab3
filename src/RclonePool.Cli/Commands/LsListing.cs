using System.Globalization;
using System.Text;
using RclonePool.Cli.Output;
using RclonePool.Cli.Output.Json;
using RclonePool.Core.Index;

namespace RclonePool.Cli.Commands;

/// <summary>
/// What <c>ls</c> prints: a name per line (the full path with -R or for a file, a trailing '/' on directories), with -l
/// the size and modification time before it, or with --json one array. Lines go to stdout through one buffered UTF-8
/// writer, as the rows stream from the index.
/// </summary>
internal sealed class LsListing(bool longFormat, bool recursive, bool json)
{
    private const int BufferSize = 64 * 1024;

    public bool Recursive => recursive;

    /// <summary>Prints <paramref name="rows"/>, the children of <paramref name="target"/> (none when it is a file: then the file itself).</summary>
    public void Write(ListingRow target, IEnumerable<ListingRow> rows)
    {
        var entries = target.IsDirectory ? rows : [target];
        using var stdout = Console.OpenStandardOutput();
        if (json)
        {
            JsonOutput.Write(stdout, LsEntryJson.FromRows(entries), CliJsonContext.Default.LsJson);
            return;
        }

        using var writer = new StreamWriter(stdout, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize) { NewLine = "\n" };
        var fullPaths = recursive || !target.IsDirectory;
        foreach (var row in entries)
        {
            if (longFormat)
            {
                var size = row.IsDirectory ? "-" : row.Size.ToString(CultureInfo.InvariantCulture);
                var modified = row.Modified == default ? "-" : row.Modified.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                writer.Write(size.PadLeft(15));
                writer.Write(' ');
                writer.Write(modified.PadLeft(19));
                writer.Write(' ');
            }

            writer.Write(fullPaths ? row.Path : row.Name);
            writer.WriteLine(row.IsDirectory ? "/" : string.Empty);
        }
    }
}
