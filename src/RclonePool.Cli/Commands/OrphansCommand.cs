using System.CommandLine;
using RclonePool.Cli.Output;
using RclonePool.Cli.Output.Json;
using RclonePool.Core;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool orphans [--delete] [--min-age DURATION] [--json]</c>: unreferenced chunk objects and stale manifests.</summary>
internal static class OrphansCommand
{
    public static Command Create()
    {
        var delete = new Option<bool>("--delete") { Description = "Remove the orphans and stale manifest revisions older than --min-age." };
        var minAge = new Option<string>("--min-age")
        {
            Description = "Grace period: leave anything younger alone, so an upload in progress elsewhere is not harmed (90s, 30m, 1h, 2d; default 1h).",
            DefaultValueFactory = _ => "1h",
            HelpName = "DURATION",
        };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("orphans", CommandText.WithExamples(
            "Find chunk objects that no manifest on any remote references (every manifest revision is read from the remotes, never only the index), " +
            "with their sizes, manifest revisions older than an entry's newest valid one, and temporary files of interrupted writes. With --delete, and only when every remote was listed " +
            "and every manifest read, the local index is brought in line with the remotes and then what is older than the grace period is removed.",
            "rclonepool orphans",
            "rclonepool orphans --delete",
            "rclonepool orphans --delete --min-age 10m"))
        {
            delete, minAge, json,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            var options = new OrphanOptions { Delete = parse.GetValue(delete), MinAge = Durations.Parse(parse.GetValue(minAge)!, "--min-age") };
            await using var session = await context.OpenPoolAsync(token);
            var report = await new OrphanCollector(session.Pool).FindAsync(options, token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(OrphansJson.From(report, options), CliJsonContext.Default.OrphansJson);
            }
            else
            {
                WriteText(report, options);
            }

            if (options.Delete && report.Blockers.Count > 0)
            {
                Console.Error.WriteLine($"rclonepool: nothing was removed: {report.Blockers[0]}{(report.Blockers.Count > 1 ? $" (and {report.Blockers.Count - 1} more)" : "")}.");
                return report.UnreachableRemotes == report.Blockers.Count ? ExitCodes.Transient : ExitCodes.Integrity;
            }

            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static void WriteText(OrphanReport report, OrphanOptions options)
    {
        var age = Durations.Format(options.MinAge);
        foreach (var o in report.Chunks)
        {
            Console.WriteLine($"orphan  {o.Remote} {o.Object}  {Units.FormatBytes(o.Size)}  {o.Modified.UtcDateTime:u}{(o.OldEnough ? "" : $"  (younger than {age})")}{(o.Note is null ? "" : $"  ({o.Note})")}");
        }

        foreach (var m in report.StaleManifests)
        {
            Console.WriteLine($"stale   {m.Remote} {m.Object}  {m.Path} revision {m.Revision} (current {m.CurrentRevision}){(m.OldEnough ? "" : $"  (current revision younger than {age})")}");
        }

        foreach (var m in report.StaleMarkers)
        {
            Console.WriteLine($"marker  {m.Remote} {m.Object}  (no longer shared)");
        }

        foreach (var blocker in report.Blockers)
        {
            Console.WriteLine($"blocked: {blocker}");
        }

        var old = report.Chunks.Where(c => c.OldEnough).ToList();
        Console.WriteLine($"orphans: {report.Chunks.Count} orphan chunk objects ({Units.FormatBytes(report.OrphanBytes)}), {old.Count} of them ({Units.FormatBytes(old.Sum(c => c.Size))}) older than {age}; " +
            $"{report.StaleManifests.Count} stale manifest copies; {report.ReferencedChunks} referenced chunk objects ({report.RemoteCalls} remote calls).");
        if (report.Deleted)
        {
            Console.WriteLine($"orphans: removed {report.ChunksDeleted} chunk objects ({Units.FormatBytes(report.BytesDeleted)}) and {report.ManifestsDeleted} stale manifest copies" +
                (report.IndexCorrections > 0 ? $"; {report.IndexCorrections} index entries corrected to match the remotes." : "."));
        }
        else if (!options.Delete && (old.Count > 0 || report.StaleManifests.Any(s => s.OldEnough)))
        {
            Console.WriteLine("orphans: run 'rclonepool orphans --delete' to remove them.");
        }
    }
}
