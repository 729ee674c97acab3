using System.CommandLine;
using System.Diagnostics;
using RclonePool.Cli.Output;
using RclonePool.Cli.Output.Json;
using RclonePool.Core;
using RclonePool.Core.Jobs;
using RclonePool.Core.Paths;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool verify [PATH] [--quick] [--json]</c>: checks files, chunks and manifests against the remotes.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "Pool file or directory to check (default: the whole pool).", DefaultValueFactory = _ => "/" };
        var quick = new Option<bool>("--quick") { Description = "Check that every chunk exists with the right size, from one listing per remote; read nothing." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var command = new Command("verify", CommandText.WithExamples(
            "Check the pool against the remotes: every chunk object is read and checked against its SHA-256 and block hashes (or, with --quick, " +
            "its existence and size), every manifest copy on every remote is compared, and the local index is compared with the manifests. " +
            "Each problem is printed with the file, chunk, remote and kind: missing, truncated, corrupt, manifest-disagreement, " +
            "manifest-damaged, unreachable, index-stale. Exit code 0: intact; 6: damage found; 5: only unreachable remotes.",
            "rclonepool verify",
            "rclonepool verify --quick",
            "rclonepool verify /backups/file.mkv",
            "rclonepool verify --json /photos"))
        {
            path, quick, json,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            await using var session = await context.OpenPoolAsync(token);
            var scope = PoolPath.Parse(parse.GetValue(path));
            var clock = Stopwatch.StartNew();
            VerifyReport report = null!;
            var isQuick = parse.GetValue(quick);
            if (isQuick)
            {
                report = await new Verifier(session.Pool).VerifyAsync(new VerifyOptions { Scope = scope, Quick = true }, token);
            }
            else
            {
                await TransferReporter.RunAsync("verify", 0, context.ShowProgress, async progress =>
                {
                    var sink = progress.StartFile(scope.Value, -1);
                    report = await new Verifier(session.Pool).VerifyAsync(new VerifyOptions { Scope = scope, Progress = sink }, token);
                    progress.CompleteFile(scope.Value);
                });
            }

            if (parse.GetValue(json))
            {
                JsonOutput.Write(VerifyJson.From(report, clock.Elapsed), CliJsonContext.Default.VerifyJson);
            }
            else
            {
                WriteText(report, clock.Elapsed);
            }

            return report.Clean ? ExitCodes.Success : report.OnlyUnreachable ? ExitCodes.Transient : ExitCodes.Integrity;
        }, ct));
        return command;
    }

    private static void WriteText(VerifyReport report, TimeSpan elapsed)
    {
        foreach (var damage in report.Damage)
        {
            Console.WriteLine(damage.ToString());
        }

        var what = report.Quick ? "existence and size checked" : $"{Units.FormatBytes(report.BytesRead)} read and hashed";
        var verdict = report.Clean
            ? "intact"
            : $"{report.Damage.Count} problem{(report.Damage.Count == 1 ? "" : "s")} in {report.DamagedFiles} file{(report.DamagedFiles == 1 ? "" : "s")}; see docs/operations.md";
        Console.WriteLine($"verify{(report.Quick ? " --quick" : "")} {report.Scope}: {report.Files} files, {report.Directories} directories, {report.Chunks} chunk objects, " +
            $"{what} in {elapsed.TotalSeconds:0.0} s ({report.RemoteCalls} remote calls): {verdict}.");
    }
}
