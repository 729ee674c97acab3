using System.CommandLine;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Paths;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool mv SRC DEST</c>: renames by rewriting manifests; no data moves.</summary>
internal static class MvCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("SRC") { Description = "Pool file or directory." };
        var destination = new Argument<string>("DEST") { Description = "New pool path. An existing directory receives SRC under its own name." };
        var force = new Option<bool>("--force", "-f") { Description = "Replace DEST if it is an existing file." };
        var command = new Command("mv", CommandText.WithExamples(
            "Move or rename a file or directory inside the pool. Only manifests are rewritten; chunks stay where they are.",
            "rclonepool mv /backups/file.mkv /archive/file.mkv",
            "rclonepool mv /photos/2023 /archive/"))
        {
            source, destination, force,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var from = PoolPath.Parse(parse.GetValue(source));
            var raw = parse.GetValue(destination)!;
            var to = PoolPath.Parse(raw);
            if (raw.EndsWith('/') || await session.Pool.StatAsync(to, token) is { IsDirectory: true })
            {
                to = to.Combine(from.Name);
            }

            await session.Pool.MoveAsync(from, to, parse.GetValue(force), token);
            Console.Error.WriteLine($"mv: {from} -> {to}.");
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
