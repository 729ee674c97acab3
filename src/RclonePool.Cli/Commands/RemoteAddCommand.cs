using System.CommandLine;
using RclonePool.Cli.Output;
using RclonePool.Core;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool remote add NAME: [--rebalance]</c>: a remote joins the pool and the config file.</summary>
internal static class RemoteAddCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("REMOTE") { Description = "The rclone remote to add: \"name:\", \"name:path\" or an absolute local directory." };
        var rebalance = new Option<bool>("--rebalance") { Description = "Then move data onto it: 'rebalance' with its default target." };
        var command = new Command("add", CommandText.WithExamples(
            "Add a remote to the pool: checks that it answers and belongs to no other pool, writes every manifest and then the pool descriptor to it, " +
            "and appends it to 'remotes' in the config file (nothing else in the file changes). New uploads use it at once; existing data moves onto " +
            "it with 'rclonepool rebalance' (or --rebalance). Running it again finishes an interrupted add. Not with use_crypt: add the remote and its " +
            "crypt remote to the config by hand, then run 'rclonepool rebuild'.",
            "rclonepool remote add gdrive3:",
            "rclonepool remote add /mnt/disk4 --rebalance"))
        {
            name, rebalance,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            var loaded = context.Config;
            var remote = parse.GetValue(name)!;
            if (loaded.UseCrypt)
            {
                throw new PoolException(PoolErrorKind.BadInput, $"use_crypt is on, so {remote} needs a crypt remote too: add both to 'remotes' and 'crypt_remotes' in {context.ConfigLocation.Path}, then run 'rclonepool rebuild'. Nothing was changed.");
            }

            var normalised = ConfigValidator.NormaliseRemote(remote);
            var already = loaded.Remotes.FirstOrDefault(r => ConfigValidator.NormaliseRemote(r) == normalised);
            var joined = ConfigFileEdit.WithRemotes(loaded, already is null ? [.. loaded.Remotes, remote] : loaded.Remotes);
            ConfigValidator.EnsureValid(joined, context.ConfigLocation.Path);
            context.UseConfig(joined);
            await using var session = await context.OpenPoolAsync(token);
            var written = await new RemoteMembership(session.Pool).JoinAsync(already ?? remote, token);
            if (already is null)
            {
                ConfigFileEdit.AddRemote(context.ConfigLocation.Path, loaded, remote);
            }

            Console.WriteLine($"{already ?? remote} is in pool {session.Pool.PoolId}{(already is null ? $" and in {context.ConfigLocation.Path}" : " (it was in the config already)")}: {written} manifests written to it.");
            if (!parse.GetValue(rebalance))
            {
                Console.WriteLine("New uploads use it now; run 'rclonepool rebalance' to move existing data onto it.");
                return ExitCodes.Success;
            }

            var report = await new Rebalancer(session.Pool).RebalanceAsync(new RebalanceOptions(), token);
            Console.WriteLine($"rebalance: {report.Moved.Count} moves, {Units.FormatBytes(report.BytesMoved)}; utilisation variance {report.Plan.VarianceBefore:0.0} % -> {report.VarianceAfter:0.0} %.");
            return report.Failed.Count > 0 ? ExitCodes.Integrity : ExitCodes.Success;
        }, ct));
        return command;
    }
}
