using System.CommandLine;
using RclonePool.Cli.Output;
using RclonePool.Core.Integrity;
using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool repair POOLPATH LOCALSOURCE</c>: rewrites a file's damaged chunks from a local copy.</summary>
internal static class RepairCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("POOLPATH") { Description = "The pool file to repair." };
        var source = new Argument<string>("LOCALSOURCE") { Description = "A local copy of the same content (its SHA-256 must match the manifest's)." };
        var command = new Command("repair", CommandText.WithExamples(
            "Repair a file from a local copy of it. A copy whose SHA-256 differs from the manifest's is refused. Every chunk object is read; " +
            "only missing or damaged ones are written again (under new object ids, read back before use), recorded in a new manifest revision " +
            "on every remote; then the old revision and the damaged objects are removed. Missing manifest copies are written again.",
            "rclonepool repair /backups/file.mkv /path/to/local/source.mkv"))
        {
            path, source,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var target = PoolPath.Parse(parse.GetValue(path));
            RepairReport report = null!;
            await TransferReporter.RunAsync("repair", 0, context.ShowProgress, async progress =>
            {
                var sink = progress.StartFile(target.Value, -1);
                report = await new Restorer(session.Pool).RepairAsync(target, parse.GetValue(source)!, null, sink, token);
                progress.CompleteFile(target.Value);
            });

            foreach (var chunk in report.Rewritten)
            {
                Console.WriteLine($"chunk {chunk.Chunk}: {chunk.Kind.Name()} on {chunk.OldRemote} {chunk.OldObject} ({chunk.Detail}); rewritten to {chunk.NewRemote} {chunk.NewObject}");
            }

            foreach (var remote in report.ManifestCopiesWritten)
            {
                Console.WriteLine($"manifest revision {report.Revision} written to {remote}");
            }

            Console.WriteLine(report.NothingToRepair
                ? $"repair {report.Path}: all {report.ChunksChecked} chunk objects and every manifest copy are intact; nothing to repair ({report.RemoteCalls} remote calls)."
                : $"repair {report.Path}: {report.Rewritten.Count} of {report.ChunksChecked} chunk objects rewritten, {report.ManifestCopiesWritten.Count} manifest copies written, " +
                  $"{report.StaleRevisionsRemoved} older revisions removed; now revision {report.Revision} ({report.RemoteCalls} remote calls).");
            return ExitCodes.Success;
        }, ct));
        return command;
    }
}
