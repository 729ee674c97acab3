using System.CommandLine;
using RclonePool.Cli.Output;
using RclonePool.Cli.Output.Json;
using RclonePool.Core.Integrity;
using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool rebuild [PATH]</c>: restores full redundancy from the copies and shards that are left.</summary>
internal static class RebuildCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "A file or directory to rebuild (default: the whole pool).", DefaultValueFactory = _ => "/" };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var parallel = new Option<int?>("--parallel") { Description = "Objects checked and written at once (default: max_parallel_workers)." };
        var command = new Command("rebuild", CommandText.WithExamples(
            "Restore full redundancy. Every copy and shard is read and checked; each missing or damaged one is written again from the " +
            "copies and shards that are left (parity rebuilt on the fly), on a remote that holds no other part of the same chunk, read back, " +
            "and recorded in a new manifest revision on every remote. Missing manifest copies are written again. A remote that came back " +
            "empty (a replaced account under the same name) gets its pool descriptor back; a remote of another pool is never written to. " +
            "Safe to interrupt and run again. Exit code 0 when everything is whole again, 6 when some file could not be rebuilt.",
            "rclonepool rebuild",
            "rclonepool rebuild /backups/file.mkv",
            "rclonepool rebuild /backups --json"))
        {
            path, json, parallel,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var scope = PoolPath.Parse(parse.GetValue(path));
            RebuildReport report = null!;
            await TransferReporter.RunAsync("rebuild", 0, context.ShowProgress && !parse.GetValue(json), async progress =>
            {
                var sink = progress.StartFile(scope.Value, -1);
                report = await new Restorer(session.Pool).RestoreRedundancyAsync(scope, parse.GetValue(parallel), sink, token);
                progress.CompleteFile(scope.Value);
            });

            if (parse.GetValue(json))
            {
                JsonOutput.Write(RebuildJson.From(report), CliJsonContext.Default.RebuildJson);
            }
            else
            {
                Print(report);
            }

            return report.Complete ? ExitCodes.Success : ExitCodes.Integrity;
        }, ct));
        return command;
    }

    internal static void Print(RebuildReport report)
    {
        foreach (var remote in report.RemotesClaimed)
        {
            Console.WriteLine($"{remote}: had no pool descriptor; taken back into the pool");
        }

        foreach (var file in report.Restored)
        {
            foreach (var chunk in file.Rewritten)
            {
                Console.WriteLine($"{file.Path}: chunk {chunk.Chunk} {chunk.Kind.Name()} on {chunk.OldRemote} ({chunk.Detail}); rebuilt on {chunk.NewRemote}");
            }

            if (file.ManifestCopiesWritten.Count > 0 && file.Rewritten.Count == 0)
            {
                Console.WriteLine($"{file.Path}: manifest written to {string.Join(", ", file.ManifestCopiesWritten)}");
            }
        }

        foreach (var (failedPath, error) in report.Failed)
        {
            Console.Error.WriteLine($"{failedPath}: not rebuilt: {error}");
        }

        Console.WriteLine(
            $"rebuild: {report.EntriesChecked} entries and {report.ObjectsChecked} stored objects checked, {report.Restored.Count} restored " +
            $"({report.Restored.Sum(r => r.Rewritten.Count)} objects rewritten), {report.Failed.Count} could not be rebuilt ({report.RemoteCalls} remote calls).");
    }
}
