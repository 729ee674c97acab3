using System.CommandLine;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Paths;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool delete PATH [-r]</c>.</summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "Pool file or directory." };
        var recursive = new Option<bool>("-r", "--recursive") { Description = "Delete a directory with everything inside." };
        var command = new Command("delete", CommandText.WithExamples(
            "Delete a file (its manifests first, then its chunks) or, with -r, a directory tree.",
            "rclonepool delete /backups/file.mkv",
            "rclonepool delete -r /old"))
        {
            path, recursive,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var target = PoolPath.Parse(parse.GetValue(path));
            await session.Pool.DeleteAsync(target, parse.GetValue(recursive), token);
            Console.Error.WriteLine($"delete: removed {target}.");
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
