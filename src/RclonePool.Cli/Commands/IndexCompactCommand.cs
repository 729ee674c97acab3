using System.CommandLine;
using RclonePool.Cli.Output;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool index compact</c>: merges manifest packs and single manifests on the remotes (beyond the feature document).</summary>
internal static class IndexCompactCommand
{
    public static Command Create()
    {
        var full = new Option<bool>("--full") { Description = "Rewrite every remote's packs into one (drops every superseded record); otherwise only small and mostly superseded packs are merged, with the single manifests." };
        var command = new Command("compact", CommandText.WithExamples(
            "Compact the manifests on the remotes: with manifest_packing, each remote's single manifests and small packs go into one pack, " +
            "written before what it replaces is removed; superseded and deleted records are dropped. The index is not changed, so it is safe while " +
            "this process is the only writer, and 'serve' runs it by itself (manifest_compaction_objects). Exits 6 when a remote could not be compacted.",
            "rclonepool index compact",
            "rclonepool index compact --full"))
        {
            full,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var result = await new ManifestCompactor(session.Pool).CompactAsync(parse.GetValue(full), token);
            Console.WriteLine(result.Skipped is { } skipped
                ? $"index compact: nothing compacted: {skipped}."
                : $"index compact: {result.PacksRemoved} packs and {result.SinglesRemoved} single manifests removed ({result.SinglesFolded} folded in), " +
                  $"{result.PacksWritten} packs written, {result.RecordsDropped} superseded records dropped.");
            foreach (var change in result.CopiesWritten)
            {
                Console.WriteLine($"  reconciled: {change}");
            }

            foreach (var problem in result.Problems)
            {
                Console.WriteLine($"  problem: {problem}");
            }

            return result.Problems.Count == 0 && result.Skipped is null ? ExitCodes.Success : ExitCodes.Integrity;
        }, ct));
        return command;
    }
}
