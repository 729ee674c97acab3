using System.CommandLine;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Paths;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool cat PATH [--offset N] [--count N]</c>: verified bytes to stdout.</summary>
internal static class CatCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "Pool file." };
        var offset = new Option<long>("--offset") { Description = "First byte to print (default 0)." };
        var count = new Option<long>("--count") { Description = "Bytes to print (default: to the end).", DefaultValueFactory = _ => -1 };
        var command = new Command("cat", CommandText.WithExamples(
            "Print a file (or a byte range of it) to standard output. Only the needed blocks are read, and each is verified.",
            "rclonepool cat /notes/todo.txt",
            "rclonepool cat /movies/film.mkv --offset 1048576 --count 65536 > part.bin"))
        {
            path, offset, count,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(offset) < 0)
            {
                result.AddError("--offset must be 0 or more.");
            }

            if (result.GetValue(count) < -1)
            {
                result.AddError("--count must be 0 or more.");
            }
        });
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var target = PoolPath.Parse(parse.GetValue(path));
            await using var source = await session.Pool.OpenReadAsync(target, parse.GetValue(offset), parse.GetValue(count), token);
            StandardOutputPipe.Widen();
            await using var stdout = Console.OpenStandardOutput();
            await source.CopyToAsync(stdout, 1 << 20, token);
            await stdout.FlushAsync(token);
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
