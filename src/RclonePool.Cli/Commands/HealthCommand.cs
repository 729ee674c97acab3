using System.CommandLine;
using System.Diagnostics;
using RclonePool.Cli.Output;
using RclonePool.Cli.Output.Json;
using RclonePool.Core;
using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool health [PATH] [--deep] [--json]</c>: how much redundancy every file has left, and what each remote holds.</summary>
internal static class HealthCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "Pool file or directory to check (default: the whole pool).", DefaultValueFactory = _ => "/" };
        var deep = new Option<bool>("--deep") { Description = "Also read every stored object and check it against its hashes (catches bit flips); otherwise existence and size only." };
        var all = new Option<bool>("--all") { Description = "List healthy files too (otherwise only the files that are not healthy)." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (every file, every remote)." };
        var command = new Command("health", CommandText.WithExamples(
            "Report how much redundancy is left. Each file is healthy (every copy and shard present), degraded (some missing, but every chunk " +
            "can still lose another remote), critical (still readable, but one more lost remote loses it) or lost (some chunk has fewer than " +
            "k shards or no copy left), with its margin: the remotes it can still lose. Each remote is reported reachable or not, with the " +
            "objects it should hold and holds. Quick: one listing of each remote's manifest and data directories, sizes checked; --deep also " +
            "reads every object. Exit code 0: healthy; 10: degraded or critical (every file still readable; run 'rclonepool rebuild'); " +
            "6: some file lost; 5: no remote answered.",
            "rclonepool health",
            "rclonepool health /movies --all",
            "rclonepool health --deep",
            "rclonepool health --json"))
        {
            path, deep, all, json,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var scope = PoolPath.Parse(parse.GetValue(path));
            var clock = Stopwatch.StartNew();
            HealthReport report = null!;
            if (parse.GetValue(deep))
            {
                await TransferReporter.RunAsync("health --deep", 0, context.ShowProgress && !parse.GetValue(json), async progress =>
                {
                    var sink = progress.StartFile(scope.Value, -1);
                    report = await new HealthChecker(session.Pool).CheckAsync(scope, new HealthOptions { Deep = true, Progress = sink }, token);
                    progress.CompleteFile(scope.Value);
                });
            }
            else
            {
                report = await new HealthChecker(session.Pool).CheckAsync(scope, new HealthOptions(), token);
            }

            if (parse.GetValue(json))
            {
                JsonOutput.Write(HealthJson.From(report, clock.Elapsed), CliJsonContext.Default.HealthJson);
            }
            else
            {
                WriteText(report, parse.GetValue(all), clock.Elapsed);
            }

            return ExitCode(report);
        }, ct));
        return command;
    }

    /// <summary>0 healthy, 6 (integrity) when something is lost, 10 (degraded) otherwise.</summary>
    public static int ExitCode(HealthReport report) => report.State switch
    {
        HealthState.Healthy => ExitCodes.Success,
        HealthState.Lost => ExitCodes.Integrity,
        _ => ExitCodes.Degraded,
    };

    private static void WriteText(HealthReport report, bool all, TimeSpan elapsed)
    {
        foreach (var file in report.Files.Where(f => all || f.State != HealthState.Healthy))
        {
            Console.WriteLine($"{file.State.Name(),-8} {file.Path}: margin {file.Margin} of {file.Tolerance} ({file.Mode}), {file.ObjectsAvailable}/{file.ObjectsExpected} objects");
            foreach (var problem in file.Problems)
            {
                Console.WriteLine($"         {problem}");
            }
        }

        foreach (var entry in report.UnreadableEntries)
        {
            Console.WriteLine($"{HealthState.Lost.Name(),-8} {entry}");
        }

        foreach (var problem in report.ManifestProblems)
        {
            Console.WriteLine($"manifest {problem}");
        }

        foreach (var remote in report.Remotes)
        {
            var state = remote.Reachable ? "reachable" : $"UNREACHABLE ({remote.Error})";
            var damaged = remote.ObjectsDamaged > 0 ? $", {remote.ObjectsDamaged} damaged" : "";
            var manifests = remote.ManifestsMissing > 0 ? $", {remote.ManifestsMissing} manifests missing or stale" : "";
            Console.WriteLine($"remote   {remote.Name}: {state}, {remote.ObjectsPresent}/{remote.ObjectsExpected} objects present{damaged}{manifests}");
        }

        var read = report.Deep ? $", {Units.FormatBytes(report.BytesRead)} read and hashed" : "";
        var advice = report.State switch
        {
            HealthState.Healthy => "",
            HealthState.Lost => "; lost files cannot be rebuilt from the pool: upload them again (see docs/redundancy.md)",
            _ => "; run 'rclonepool rebuild' to restore full redundancy",
        };
        Console.WriteLine($"health{(report.Deep ? " --deep" : "")} {report.Scope}: {report.Summary()} " +
            $"({report.ObjectsChecked} objects{read}, {report.RemoteCalls} remote calls, {elapsed.TotalSeconds:0.0} s){advice}.");
    }
}
