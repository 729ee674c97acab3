using System.CommandLine;
using RclonePool.Cli.Output;
using RclonePool.Cli.Output.Json;
using RclonePool.Core;
using RclonePool.Core.Jobs;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool balance-status [--json]</c>: how evenly the pool's bytes are spread over its remotes.</summary>
internal static class BalanceStatusCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the status as JSON." };
        var command = new Command("balance-status", CommandText.WithExamples(
            "Show each remote's pool bytes, free and total space, share of the pool's bytes, chunk objects, and how far its fill lies from the pool's; " +
            "then the pool's utilisation variance (0 is even) and whether it is above rebalance_threshold. Reads the index and rclone's about; no manifest. " +
            "Exit code 0 either way; run 'rclonepool rebalance' to even the pool out.",
            "rclonepool balance-status",
            "rclonepool balance-status --json"))
        {
            json,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var report = await new Rebalancer(session.Pool).StatusAsync(token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(BalanceStatusJson.From(report), CliJsonContext.Default.BalanceStatusJson);
            }
            else
            {
                WriteText(report);
            }

            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static void WriteText(BalanceReport report)
    {
        Console.WriteLine($"{"remote",-24} {"used",10} {"free",10} {"total",10} {"share",7} {"objects",8} {"deviation",10}");
        foreach (var r in report.Remotes)
        {
            Console.WriteLine($"{r.Remote,-24} {Units.FormatBytes(r.Used),10} {Size(r.Free),10} {Size(r.Total),10} {r.Share,6:0.0}% {r.Objects,8} {r.Deviation,9:+0.0;-0.0;0.0}%" +
                (r.Weight != 1 ? $"  weight {r.Weight:0.##}" : "") + (r.Priority != 0 ? $"  priority {r.Priority}" : ""));
        }

        var verdict = report.AboveThreshold
            ? $"above rebalance_threshold {report.Threshold:0.0} %; run 'rclonepool rebalance'"
            : $"within rebalance_threshold {report.Threshold:0.0} %";
        Console.WriteLine($"{Units.FormatBytes(report.Used)} in the pool; utilisation variance {report.Variance:0.0} %: {verdict}.");
    }

    private static string Size(long? bytes) => bytes is { } b ? Units.FormatBytes(b) : "?";
}
