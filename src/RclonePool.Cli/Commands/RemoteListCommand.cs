using System.CommandLine;
using RclonePool.Cli.Output;
using RclonePool.Core;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool remote list</c>: every remote with its pool bytes, space and state.</summary>
internal static class RemoteListCommand
{
    public static Command Create()
    {
        var command = new Command("list", CommandText.WithExamples(
            "List the pool's remotes in config order: the pool's bytes and objects on each, its free space, its weight and priority, and whether it " +
            "carries this pool's descriptor (a remote without one gets no new data until 'remote add' or 'rebuild' claims it).",
            "rclonepool remote list"));
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var status = await new Rebalancer(session.Pool).StatusAsync(token);
            foreach (var (remote, i) in status.Remotes.Select((r, i) => (r, i)))
            {
                var storage = session.Pool.Remotes[i].Storage;
                var state = session.Pool.Unclaimed.Contains(remote.Remote) ? "no descriptor" : "member";
                Console.WriteLine($"{remote.Remote,-30} {state,-14} {Units.FormatBytes(remote.Used),10} in {remote.Objects} objects, " +
                    $"{(remote.Free is { } free ? Units.FormatBytes(free) : "?")} free, weight {remote.Weight:0.##}, priority {remote.Priority}" +
                    (storage != remote.Remote ? $", stored through {storage}" : ""));
            }

            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
