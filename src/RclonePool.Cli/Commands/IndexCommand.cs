using System.CommandLine;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool index rebuild</c>: recreates the local index from the manifests on the remotes.</summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var rebuild = new Command("rebuild", CommandText.WithExamples(
            "Recreate the local index from the manifests on the remotes. The newest revision of each entry wins; copies missing or different on some remotes are reported.",
            "rclonepool index rebuild"));
        rebuild.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var scan = await session.Pool.RebuildIndexAsync(token);
            Console.WriteLine($"index rebuilt: {scan.Manifests.Count} entries from {session.Pool.Remotes.Count} remotes.");
            foreach (var problem in scan.Problems)
            {
                Console.WriteLine($"  problem: {problem}");
            }

            return scan.Problems.Count == 0 ? ExitCodes.Success : ExitCodes.Integrity;
        }, ct));
        var command = new Command("index", "Manage the local index (a cache of the manifests on the remotes).") { rebuild };
        return command;
    }
}
