using System.CommandLine;
using System.Globalization;
using RclonePool.Cli.Output;
using RclonePool.Cli.Output.Json;
using RclonePool.Core.Errors;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool ls [PATH]</c>: lists from the index, never touching the remotes.</summary>
internal static class LsCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "Pool directory or file (default: the root).", DefaultValueFactory = _ => "/" };
        var longFormat = new Option<bool>("-l", "--long") { Description = "Show size and modification time." };
        var recursive = new Option<bool>("-R", "--recursive") { Description = "List everything below PATH." };
        var json = new Option<bool>("--json") { Description = "Print a JSON array (path, name, is_dir, size, modified)." };
        var command = new Command("ls", CommandText.WithExamples(
            "List pool entries. Directories end with '/'.",
            "rclonepool ls /backups",
            "rclonepool ls -l -R /",
            "rclonepool ls --json /backups"))
        {
            path, longFormat, recursive, json,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var target = PoolPath.Parse(parse.GetValue(path));
            var entry = await session.Pool.StatAsync(target, token) ?? throw PoolErrors.NotFound(target);
            var entries = new List<PoolEntry>();
            if (entry.IsDirectory)
            {
                await foreach (var item in session.Pool.ListAsync(target, parse.GetValue(recursive), token))
                {
                    entries.Add(item);
                }
            }
            else
            {
                entries.Add(entry);
            }

            var output = Console.Out;
            if (parse.GetValue(json))
            {
                JsonOutput.Write(LsEntryJson.FromAll(entries), CliJsonContext.Default.LsJson);
                return ExitCodes.Success;
            }

            var showFull = parse.GetValue(recursive);
            foreach (var e in entries)
            {
                var name = (showFull || !entry.IsDirectory ? e.Path.Value : e.Path.Name) + (e.IsDirectory ? "/" : string.Empty);
                if (parse.GetValue(longFormat))
                {
                    var size = e.IsDirectory ? "-" : e.Size.ToString(CultureInfo.InvariantCulture);
                    var modified = e.Modified == default ? "-" : e.Modified.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                    await output.WriteLineAsync($"{size,15} {modified,19} {name}");
                }
                else
                {
                    await output.WriteLineAsync(name);
                }
            }

            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
