using System.CommandLine;
using RclonePool.Cli.Commands;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Errors;

namespace RclonePool.Cli;

/// <summary>Builds the command tree and maps failures to one sentence on stderr and a documented exit code.</summary>
internal static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "rclonepool pools many rclone remotes into one chunked, verified storage space.\n\n" +
            "Start with 'rclonepool quickstart' (a demo pool of local directories) or 'rclonepool init --remote a: --remote b:'.");
        root.Options.Add(GlobalOptions.Config);
        root.Options.Add(GlobalOptions.Verbose);
        root.Options.Add(GlobalOptions.NoProgress);
        root.Options.Add(GlobalOptions.BandwidthLimitUpload);
        root.Options.Add(GlobalOptions.BandwidthLimitDownload);
        root.Options.Add(GlobalOptions.User);
        foreach (var command in new[]
        {
            InitCommand.Create(), QuickstartCommand.Create(), UploadCommand.Create(), DownloadCommand.Create(),
            LsCommand.Create(), DeleteCommand.Create(), MvCommand.Create(), CatCommand.Create(), InfoCommand.Create(),
            IndexCommand.Create(), ServeCommand.Create(), ApiCommand.Create(), UserCommand.Create(), KeyCommand.Create(), VerifyCommand.Create(), RepairCommand.Create(), RebuildCommand.Create(), HealthCommand.Create(), OrphansCommand.Create(),
            BalanceStatusCommand.Create(), RebalanceCommand.Create(), RemoteCommand.Create(), PluginsCommand.Create(),
        })
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        using var stop = new StopSignals();
        var configuration = new InvocationConfiguration { ProcessTerminationTimeout = null };
        var code = await BuildRoot().Parse(args).InvokeAsync(configuration, stop.Token);
        if (Environment.GetEnvironmentVariable("RCLONEPOOL_REPORT_PEAK_RSS") == "1")
        {
            // For benchmarks: the peak resident memory of this process alone (the rclone child is separate).
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            Console.Error.WriteLine($"peak_rss_bytes={self.PeakWorkingSet64}");
        }

        return code;
    }

    /// <summary>Runs a command body with the shared error handling.</summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<CliContext, CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        var context = new CliContext(parse);
        try
        {
            return await body(context, cancellationToken);
        }
        catch (PoolException e)
        {
            return Fail(context, e.Message, ExitCodes.For(e.Kind), e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("rclonepool: interrupted; nothing half-written is visible in the pool.");
            return ExitCodes.Interrupted;
        }
        catch (UnauthorizedAccessException e)
        {
            return Fail(context, $"{e.Message} Check the file permissions.", ExitCodes.BadInput, e);
        }
        catch (IOException e)
        {
            return Fail(context, $"{e.Message}", ExitCodes.Failure, e);
        }
        catch (Exception e)
        {
            return Fail(context, $"Unexpected error: {e.Message} (run again with --verbose for details and report it).", ExitCodes.Failure, e);
        }
    }

    private static int Fail(CliContext context, string message, int code, Exception e)
    {
        Console.Error.WriteLine($"rclonepool: {message}");
        if (context.Verbose)
        {
            Console.Error.WriteLine(e);
        }

        return code;
    }
}
