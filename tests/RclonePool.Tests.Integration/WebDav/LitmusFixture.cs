using RclonePool.Server;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// Runs the five litmus groups once, in parallel, each against its own fresh server (127.0.0.1, port 0) over the
/// real pool (local-directory remotes through a real rclone rcd), and keeps the parsed reports for the test rows.
/// </summary>
public sealed class LitmusFixture : IAsyncLifetime
{
    public static readonly string[] Groups = ["basic", "copymove", "props", "locks", "http"];

    private readonly Dictionary<string, LitmusRun> _runs = [];

    public LitmusRun this[string group] => _runs[group];

    public async ValueTask InitializeAsync()
    {
        var litmus = Tools.Require("litmus");
        var runs = await Task.WhenAll(Groups.Select(g => RunGroupAsync(litmus, g)));
        foreach (var run in runs)
        {
            _runs[run.Group] = run;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async Task<LitmusRun> RunGroupAsync(string litmus, string group)
    {
        await using var pool = await RealPool.OpenAsync();
        await using var server = await PoolServer.StartAsync(pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0 }, null, CancellationToken.None);
        // litmus writes debug.log and child.log into its working directory.
        var work = Directory.CreateTempSubdirectory("litmus-" + group + "-");
        try
        {
            var (exit, stdout, stderr) = await Tools.RunAsync(
                litmus,
                ["-k", server.Url.ToString()],
                work.FullName,
                new Dictionary<string, string> { ["TESTS"] = group },
                TimeSpan.FromSeconds(90));
            return LitmusRun.Parse(group, exit, stdout + stderr);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
