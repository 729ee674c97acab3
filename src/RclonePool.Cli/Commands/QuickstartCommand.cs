using System.CommandLine;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Config;

namespace RclonePool.Cli.Commands;

/// <summary>
/// <c>rclonepool quickstart</c>: creates (once) a demo pool of four local-directory remotes with its own config
/// under the user's data directory, and starts the pool's main job.
/// </summary>
internal static class QuickstartCommand
{
    private const int DemoRemotes = 4;

    public static Command Create()
    {
        var command = new Command("quickstart", CommandText.WithExamples(
            "Create a demo pool of four local directories (once) under ~/.local/share/rclonepool/demo, show how to use it, and serve it over WebDAV (127.0.0.1:8080, or --port). Your own config is not touched.",
            "./rclonepool quickstart",
            "./rclonepool quickstart --port 9090"));
        var port = new Option<int?>("--port") { Description = "WebDAV port (default 8080; 0 picks a free one)." };
        command.Options.Add(port);
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            var demo = DemoDirectory();
            var configPath = Path.Combine(demo, "config.json");
            PoolConfig config;
            if (File.Exists(configPath))
            {
                config = ConfigLoader.Load(configPath);
                Console.WriteLine($"quickstart: using the demo pool in {demo}.");
            }
            else
            {
                config = new PoolConfig
                {
                    Remotes = [.. Enumerable.Range(1, DemoRemotes).Select(i => Path.Combine(demo, "remotes", $"disk{i}"))],
                    ChunkSize = 8L * 1024 * 1024,
                    ManifestCacheDir = Path.Combine(demo, "cache"),
                };
                foreach (var remote in config.Remotes)
                {
                    Directory.CreateDirectory(remote);
                }

                ConfigValidator.EnsureValid(config, "the demo config");
                Console.WriteLine($"quickstart: creating a demo pool of {DemoRemotes} local directories in {demo}.");
            }

            context.UseConfig(config);
            var poolId = await InitCommand.InitializeAsync(context, config, token);
            if (!File.Exists(configPath))
            {
                ConfigWriter.Write(config, configPath);
            }

            var self = "./rclonepool --config " + Quote(configPath);
            Console.WriteLine($"quickstart: pool {poolId} is ready ({DemoRemotes} remotes, {config.ChunkSize / (1024 * 1024)} MiB chunks).");
            Console.WriteLine();
            Console.WriteLine("Try:");
            Console.WriteLine($"  {self} upload README.md /docs/README.md");
            Console.WriteLine($"  {self} ls -l -R /");
            Console.WriteLine($"  {self} info /docs/README.md");
            Console.WriteLine($"  {self} download /docs/README.md /tmp/README.copy.md");
            Console.WriteLine($"  {self} cat /docs/README.md --offset 0 --count 200");
            Console.WriteLine("  rclone lsjson \":webdav,url='http://127.0.0.1:PORT/':docs\"   (while it serves, below)");
            Console.WriteLine();
            Console.WriteLine($"The chunks and manifests are plain files under {Path.Combine(demo, "remotes")}; 'export RCLONEPOOL_CONFIG={Quote(configPath)}' saves typing --config.");
            Console.WriteLine();
            await ServeCommand.RunAsync(context, new ServeSettings(null, parse.GetValue(port), null, InsecureNoAuth: false), RclonePool.Server.ServerRole.WebDav, token);
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    private static string DemoDirectory()
    {
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome) || !Path.IsPathRooted(dataHome))
        {
            dataHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(dataHome, "rclonepool", "demo");
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"'{path}'" : path;
}
