using System.CommandLine;
using RclonePool.Cli.Output;
using RclonePool.Core;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool remote remove NAME: [--force]</c>: a drained (or, with --force, dead) remote leaves the pool and the config file.</summary>
internal static class RemoteRemoveCommand
{
    /// <summary>How many of the files a forced removal would lose the error names.</summary>
    private const int Named = 10;

    public static Command Create()
    {
        var name = new Argument<string>("REMOTE") { Description = "The remote to take out of the pool, as it is written in 'remotes'." };
        var force = new Option<bool>("--force")
        {
            Description = "Remove it even though it still holds data (a dead or unwanted account), as long as every file stays readable from the other remotes; then rebuild the lost copies and shards.",
        };
        var command = new Command("remove", CommandText.WithExamples(
            "Take a remote out of the pool: refused while the manifests place data on it (drain it first with 'rclonepool remote drain'); once it is " +
            "empty, the pool's manifests and descriptor are removed from it and it is taken out of 'remotes' (and draining_remotes, remote_weights, " +
            "remote_priorities) in the config file. --force removes a remote that still holds data, dead or alive, only if every file stays readable " +
            "from the other remotes (another copy, or k shards of each stripe); it names the files that would be lost otherwise and changes nothing. " +
            "After a forced removal the lost copies and shards are rebuilt on the other remotes at once. Exit code 0: removed (and rebuilt); 4: refused; " +
            "6: removed, but some files could not be rebuilt (run 'rclonepool rebuild').",
            "rclonepool remote drain gdrive1: && rclonepool remote remove gdrive1:",
            "rclonepool remote remove deadaccount: --force"))
        {
            name, force,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            var loaded = context.Config;
            var forced = parse.GetValue(force);
            RemovalCheck check;
            string member;
            PoolConfig changed;
            await using (var session = await context.OpenPoolAsync(token))
            {
                var removal = new RemoteRemoval(session.Pool);
                member = removal.Resolve(parse.GetValue(name)!);
                changed = ConfigFileEdit.WithoutRemote(loaded, member);
                ConfigValidator.EnsureValid(changed, context.ConfigLocation.Path);
                check = await removal.CheckAsync(member, token);
                Refuse(check, forced);
                if (check.Answers)
                {
                    await removal.ReleaseAsync(member, token);
                }
            }

            ConfigFileEdit.RemoveRemote(context.ConfigLocation.Path, loaded, member);
            Console.WriteLine($"{member} left the pool and {context.ConfigLocation.Path}" + (check.Answers
                ? check.Empty ? "; the pool's manifests and descriptor were removed from it." : $"; the pool's manifests and descriptor were removed from it, its {check.Objects} chunk objects ({Units.FormatBytes(check.Bytes)}) stay on it: delete them (rclone purge) once the rebuild below is done."
                : $"; it did not answer, so nothing was removed from it{(check.Empty ? "" : $" (its {check.Objects} chunk objects, {Units.FormatBytes(check.Bytes)}, stay there if it comes back)")}."));
            if (check.Empty)
            {
                return ExitCodes.Success;
            }

            Console.WriteLine($"rebuild: restoring the copies and shards of {check.Files} files that were on {member} from the other remotes.");
            context.UseConfig(changed);
            await using var rebuilt = await context.OpenPoolAsync(token);
            var report = await new Restorer(rebuilt.Pool).RestoreRedundancyAsync(PoolPath.Root, null, null, token);
            RebuildCommand.Print(report);

            // The rebuild wrote new revisions; with packs, the ones they supersede (naming the remote that left) stay in
            // the packs until compaction drops them.
            var compactor = new ManifestCompactor(rebuilt.Pool);
            if (compactor.Applies)
            {
                var compaction = await compactor.CompactAsync(full: true, token);
                foreach (var problem in compaction.Problems.Prepend(compaction.Skipped).OfType<string>())
                {
                    Console.Error.WriteLine($"The manifests were not all compacted ({problem}); superseded revisions naming {member} stay until 'rclonepool index compact' runs.");
                }
            }
            if (!report.Complete)
            {
                Console.Error.WriteLine("Some files were not rebuilt; they still read from what is left. Run 'rclonepool rebuild' again.");
            }

            return report.Complete ? ExitCodes.Success : ExitCodes.Integrity;
        }, ct));
        return command;
    }

    /// <summary>Without --force, a remote the manifests place data on; with it, a remote whose loss some file would not survive.</summary>
    private static void Refuse(RemovalCheck check, bool forced)
    {
        if (!forced && !check.Empty)
        {
            throw new PoolException(PoolErrorKind.Conflict,
                $"{check.Remote} still holds {check.Objects} chunk objects ({Units.FormatBytes(check.Bytes)}) of {check.Files} files; nothing was changed. " +
                $"Drain it first: 'rclonepool remote drain {check.Remote}', then run 'rclonepool remote remove {check.Remote}' again " +
                "(or, for a dead account whose data the other remotes can rebuild, --force).");
        }

        if (forced && check.Lost.Count > 0)
        {
            var named = string.Join(", ", check.Lost.Take(Named)) + (check.Lost.Count > Named ? $" and {check.Lost.Count - Named} more" : "");
            throw new PoolException(PoolErrorKind.Conflict,
                $"Removing {check.Remote} would lose {check.Lost.Count} files that the other remotes cannot rebuild (no other copy, or fewer than k shards of a stripe" +
                (check.Down.Count > 0 ? $", with {string.Join(", ", check.Down)} not answering" : "") + $"): {named}. Nothing was changed. " +
                (check.Answers ? $"Drain it instead ('rclonepool remote drain {check.Remote}')." : "Bring it back and drain it ('rclonepool remote drain'), or bring back the remotes that do not answer."));
        }
    }
}
