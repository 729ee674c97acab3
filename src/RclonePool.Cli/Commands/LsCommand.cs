using System.CommandLine;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Cli.Output.Json;
using RclonePool.Core.Errors;
using RclonePool.Core.Index;
using RclonePool.Core.Paths;

namespace RclonePool.Cli.Commands;

/// <summary>
/// <c>rclonepool ls [PATH]</c>: lists from the index, never touching the remotes. When this machine has opened the pool
/// before, the index is read on its own (<see cref="LocalIndex"/>: no rclone, no pool); otherwise the pool is opened,
/// which loads the index from the remotes when it is new.
/// </summary>
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
            var target = PoolPath.Parse(parse.GetValue(path));
            var listing = new LsListing(parse.GetValue(longFormat), parse.GetValue(recursive), parse.GetValue(json));
            await using (var local = await LocalIndex.TryOpenAsync(context, token))
            {
                if (local is not null)
                {
                    var entry = local.Index.StatRow(target) ?? throw PoolErrors.NotFound(target);
                    listing.Write(entry, entry.IsDirectory ? local.Index.ListRows(target, listing.Recursive) : []);
                    return ExitCodes.Success;
                }
            }

            await using var session = await context.OpenPoolAsync(token);
            var found = await session.Pool.StatAsync(target, token) ?? throw PoolErrors.NotFound(target);
            var rows = new List<ListingRow>();
            if (found.IsDirectory)
            {
                await foreach (var item in session.Pool.ListAsync(target, listing.Recursive, token))
                {
                    rows.Add(new ListingRow(item.Path.Value, item.IsDirectory, item.Size, item.Modified));
                }
            }

            listing.Write(new ListingRow(found.Path.Value, found.IsDirectory, found.Size, found.Modified), rows);
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
