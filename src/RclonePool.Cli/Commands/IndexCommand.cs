using System.CommandLine;
using RclonePool.Cli.Output;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool index rebuild</c>: recreates the local index from the manifests on the remotes.</summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var rebuild = new Command("rebuild", CommandText.WithExamples(
            "Recreate the local index from the manifests on the remotes. The newest revision of each entry with a valid copy wins; a remote " +
            "that lacks it or holds a damaged copy gets it written again (reported as 'reconciled'). What cannot be reconciled is reported and exits 6.",
            "rclonepool index rebuild"));
        rebuild.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var report = await new IndexRebuilder(session.Pool).RebuildAsync(token);
            Console.WriteLine($"index rebuilt: {report.Entries} entries from {session.Pool.Remotes.Count} remotes ({report.RemoteCalls} remote calls).");
            foreach (var change in report.CopiesWritten)
            {
                Console.WriteLine($"  reconciled: {change}");
            }

            foreach (var problem in report.Problems)
            {
                Console.WriteLine($"  problem: {problem}");
            }

            return report.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.Integrity;
        }, ct));
        var command = new Command("index", "Manage the local index (a cache of the manifests on the remotes) and compact the manifests.") { rebuild, IndexCompactCommand.Create() };
        return command;
    }
}
