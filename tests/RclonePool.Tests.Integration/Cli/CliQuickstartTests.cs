using System.Net;
using System.Text;
using RclonePool.Tests.Integration.Remotes;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Cli;

/// <summary>
/// README's first command, as a process: <c>rclonepool quickstart</c> creates the demo pool once under the user's data
/// directory, serves it over WebDAV, stops on Ctrl-C with exit 0 and takes its rclone with it; a second run serves the
/// same pool with what was stored in it.
/// </summary>
public sealed class CliQuickstartTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _home = Directory.CreateTempSubdirectory("rclonepool-quickstart-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task Quickstart_creates_the_demo_pool_once_serves_it_and_stops_on_ctrl_c()
    {
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = _home,
            ["XDG_DATA_HOME"] = Path.Combine(_home, "data"),
            ["XDG_CONFIG_HOME"] = Path.Combine(_home, "config"),
            ["RCLONE_CONFIG"] = Path.Combine(_home, "rclone.conf"),
        };
        var demo = Path.Combine(_home, "data", "rclonepool", "demo");
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("served by the demo pool\n", 5000)));

        await using (var first = CliProcess.Start(["quickstart", "--port", "0"], environment))
        {
            var url = await ServingUrlAsync(first);
            Assert.Contains(first.Lines, l => l.Contains("creating a demo pool of 4 local directories", StringComparison.Ordinal));
            Assert.Contains(first.Lines, l => l.Contains("upload README.md /docs/README.md", StringComparison.Ordinal));
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            using (var put = await http.PutAsync("hello.txt", new ByteArrayContent(content), Ct))
            {
                Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            }

            Assert.Equal(content, await http.GetByteArrayAsync("hello.txt", Ct));
            // The demo's remotes are local directories, which the pool reads, writes and lists itself: rclone may not
            // have been started at all; whatever was started must be gone after Ctrl-C.
            var rclone = first.RcloneChildren();

            var (exitCode, stderr) = await first.SignalAndWaitAsync(2, TimeSpan.FromSeconds(30));

            Assert.True(exitCode == 0, $"quickstart exited {exitCode} on Ctrl-C: {stderr}");
            Assert.Contains("serve: stopping.", first.Lines);
            await Processes.WaitUntilAsync(() => !rclone.Any(Processes.IsRcloneRunning), TimeSpan.FromSeconds(10), "quickstart's rclone is gone");
        }

        Assert.True(File.Exists(Path.Combine(demo, "config.json")));
        Assert.All(Enumerable.Range(1, 4), i => Assert.True(File.Exists(Path.Combine(demo, "remotes", $"disk{i}", "rclonepool.json")), $"disk{i} has no pool descriptor"));

        await using var second = CliProcess.Start(["quickstart", "--port", "0"], environment);
        var again = await ServingUrlAsync(second);
        Assert.Contains(second.Lines, l => l.Contains("using the demo pool in " + demo, StringComparison.Ordinal));
        using (var http = new HttpClient { BaseAddress = new Uri(again) })
        {
            Assert.Equal(content, await http.GetByteArrayAsync("hello.txt", Ct));
        }

        Assert.Equal(0, (await second.SignalAndWaitAsync(2, TimeSpan.FromSeconds(30))).ExitCode);
    }

    private static async Task<string> ServingUrlAsync(CliProcess process)
    {
        const string prefix = "serve: WebDAV on ";
        var line = await process.WaitForLineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal), StartTimeout);
        var url = line[prefix.Length..].Split(' ')[0];
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        return url.EndsWith('/') ? url : url + "/";
    }
}
