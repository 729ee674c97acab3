using System.CommandLine;
using System.Diagnostics;
using RclonePool.Cli.Output;
using RclonePool.Cli.Output.Json;
using RclonePool.Core;
using RclonePool.Core.Config;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool rebalance [--dry-run] [--target-variance 5.0] [--max-bytes SIZE] [--json]</c>: moves chunks to even out the pool.</summary>
internal static class RebalanceCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (each move, its bytes, the variance it reaches) and change nothing." };
        var target = new Option<double>("--target-variance")
        {
            Description = "Utilisation variance, in percent, to bring the pool under (0 or more; see balance-status).",
            DefaultValueFactory = _ => 5.0,
            HelpName = "PERCENT",
        };
        var maxBytes = new Option<string?>("--max-bytes") { Description = "Move at most this much (10G, 500M); default: no limit.", HelpName = "SIZE" };
        var json = new Option<bool>("--json") { Description = "Print the plan and the result as JSON." };
        var command = new Command("rebalance", CommandText.WithExamples(
            "Move chunk objects (whole copies and parity shards too) from the remotes above their share of the pool's bytes to those below it, " +
            "until the utilisation variance is under --target-variance, moving as few bytes as it can. Each move copies the object, reads it back " +
            "against its hashes on the new remote, writes a new manifest revision on every remote, and only then removes the source; no two objects of " +
            "one chunk ever share a remote. Interrupted at any moment, every file still reads; run it again to finish. Refuses to start while a remote " +
            "does not answer. Exit code 0: done (or nothing to do); 6: some files could not be moved (they read as before).",
            "rclonepool rebalance --dry-run",
            "rclonepool rebalance --target-variance 5.0",
            "rclonepool rebalance --max-bytes 50G --json"))
        {
            dryRun, target, maxBytes, json,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            var limit = parse.GetValue(maxBytes) is { } size ? SizeParser.Parse(size, "--max-bytes") : (long?)null;
            var options = new RebalanceOptions { TargetVariance = parse.GetValue(target), MaxBytes = limit, DryRun = parse.GetValue(dryRun) };
            await using var session = await context.OpenPoolAsync(token);
            var clock = Stopwatch.StartNew();
            RebalanceReport report = null!;
            if (options.DryRun)
            {
                report = await new Rebalancer(session.Pool).RebalanceAsync(options, token);
            }
            else
            {
                await TransferReporter.RunAsync("rebalance", 0, context.ShowProgress && !parse.GetValue(json), async progress =>
                {
                    var sink = progress.StartFile("rebalance", -1);
                    report = await new Rebalancer(session.Pool).RebalanceAsync(options with { Progress = sink }, token);
                    progress.CompleteFile("rebalance");
                });
            }

            if (parse.GetValue(json))
            {
                JsonOutput.Write(RebalanceJson.From(report, clock.Elapsed), CliJsonContext.Default.RebalanceJson);
            }
            else
            {
                WriteText(report, clock.Elapsed);
            }

            return report.Failed.Count > 0 ? ExitCodes.Integrity : ExitCodes.Success;
        }, ct));
        return command;
    }

    private static void WriteText(RebalanceReport report, TimeSpan elapsed)
    {
        var plan = report.Plan;
        if (report.DryRun)
        {
            foreach (var move in plan.Moves)
            {
                Console.WriteLine($"move  {move.Path} chunk {move.Chunk}{(move.From.Shard is { } s ? $" shard {s}" : "")}  {move.From.Remote} -> {move.To}  {Units.FormatBytes(move.Bytes)}");
            }

            Console.WriteLine($"rebalance --dry-run: {plan.Moves.Count} moves, {Units.FormatBytes(plan.Bytes)}; utilisation variance {plan.VarianceBefore:0.0} % -> {plan.VarianceAfter:0.0} % " +
                $"(target {plan.TargetVariance:0.0} %{(plan.ReachesTarget ? "" : ", not reachable with the objects that may move")}). Nothing was changed.");
            return;
        }

        foreach (var (path, error) in report.Failed)
        {
            Console.WriteLine($"failed  {path}: {error}");
        }

        var verdict = plan.Moves.Count == 0
            ? "nothing to move"
            : $"{report.Moved.Count} of {plan.Moves.Count} moves done, {Units.FormatBytes(report.BytesMoved)} in {elapsed.TotalSeconds:0.0} s ({Units.FormatRate(report.BytesMoved, elapsed)})" +
              (report.Finished > 0 ? $", {report.Finished} files an interrupted run left finished" : "") +
              (report.Skipped > 0 ? $", {report.Skipped} files changed meanwhile and were left for the next run" : "") +
              (report.Failed.Count > 0 ? $", {report.Failed.Count} files failed (they read as before; run it again)" : "");
        Console.WriteLine($"rebalance: {verdict}; utilisation variance {plan.VarianceBefore:0.0} % -> {report.VarianceAfter:0.0} % (target {plan.TargetVariance:0.0} %, {report.RemoteCalls} remote calls).");
    }
}
