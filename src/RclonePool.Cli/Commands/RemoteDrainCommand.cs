using System.CommandLine;
using RclonePool.Cli.Output;
using RclonePool.Core;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool remote drain NAME:</c>: no new data on a remote, and everything on it moved elsewhere.</summary>
internal static class RemoteDrainCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("REMOTE") { Description = "The remote to empty, as it is written in 'remotes'." };
        var command = new Command("drain", CommandText.WithExamples(
            "Empty a remote: it is added to draining_remotes in the config file (so it gets no new data from now on), then every chunk object on it " +
            "(copies and shards too) moves to the other remotes, each copied, checked on its new remote and named by a new manifest revision before " +
            "the source goes: no chunk ever has fewer copies or shards than its mode asks, and reads keep working. Another remote that does not " +
            "answer is left out. Interrupted, run it again. Exit code 0: nothing of the pool is left on the remote; 6: some objects could not move.",
            "rclonepool remote drain gdrive1:"))
        {
            name,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            var loaded = context.Config;
            var remote = parse.GetValue(name)!;
            var normalised = ConfigValidator.NormaliseRemote(remote);
            var member = loaded.Remotes.FirstOrDefault(r => ConfigValidator.NormaliseRemote(r) == normalised)
                ?? throw new PoolException(PoolErrorKind.BadInput, $"{remote} is not a remote of the pool ({string.Join(", ", loaded.Remotes)}); nothing was changed. See 'rclonepool remote list'.");
            var draining = ConfigFileEdit.WithRemotes(loaded, loaded.Remotes);
            var started = loaded.DrainingRemotes.Any(d => ConfigValidator.NormaliseRemote(d) == normalised);
            if (!started)
            {
                draining.DrainingRemotes = [.. loaded.DrainingRemotes, member];
                ConfigValidator.EnsureValid(draining, context.ConfigLocation.Path);
            }

            context.UseConfig(draining);
            await using var session = await context.OpenPoolAsync(token);
            var rebalancer = new Rebalancer(session.Pool);
            if (!started)
            {
                // A drain that cannot finish is refused before the config changes: the remote is the last that can hold some of the data.
                var plan = await rebalancer.RebalanceAsync(new RebalanceOptions { Drain = true, DryRun = true }, token);
                if (plan.LeftOnDraining > 0)
                {
                    throw new PoolException(PoolErrorKind.Conflict,
                        $"{member} cannot be drained: {plan.LeftOnDraining} of its chunk objects have nowhere to go (every other remote that answers is full or " +
                        "already holds another copy or shard of their chunk, and redundancy keeps those on distinct remotes). Nothing was changed. " +
                        "Add a remote first ('rclonepool remote add'), then drain it.");
                }

                ConfigFileEdit.AddDraining(context.ConfigLocation.Path, loaded, member);
            }

            var report = await rebalancer.RebalanceAsync(new RebalanceOptions { Drain = true }, token);
            foreach (var (path, error) in report.Failed)
            {
                Console.WriteLine($"failed  {path}: {error}");
            }

            Console.WriteLine($"remote drain {member}: {report.Moved.Count} objects moved, {Units.FormatBytes(report.BytesMoved)}; " + (report.LeftOnDraining == 0
                ? "nothing of the pool is left on it (it stays in draining_remotes and gets no new data)."
                : $"{report.LeftOnDraining} objects are still on it: they have nowhere to go (every other remote is full or holds another object of their chunk); add a remote ('rclonepool remote add') and run this again."));
            return report.LeftOnDraining == 0 && report.Failed.Count == 0 ? ExitCodes.Success : ExitCodes.Integrity;
        }, ct));
        return command;
    }
}
