using System.CommandLine;
using Microsoft.Extensions.Logging;
using RclonePool.Cli.Hosting;
using RclonePool.Cli.Output;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Index;
using RclonePool.Core.Plugins;
using RclonePool.Core.Pool;
using RclonePool.Core.Remotes;
using Spectre.Console;

namespace RclonePool.Cli.Commands;

/// <summary><c>rclonepool init</c>: writes a config if none exists, checks the remotes, writes pool descriptors.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var remotes = new Option<string[]>("--remote") { Description = "An rclone remote for the pool (\"name:\", \"name:path\" or a local directory); repeat for each.", AllowMultipleArgumentsPerToken = false, HelpName = "NAME:" };
        var chunkSize = new Option<string?>("--chunk-size") { Description = "Chunk size, e.g. 64M or 100MiB (default 100M).", HelpName = "SIZE" };
        var cryptRemotes = new Option<string[]>("--crypt-remote") { Description = "With encryption: the rclone crypt remote over each --remote, in the same order; repeat for each.", HelpName = "NAME:" };
        var command = new Command("init", CommandText.WithExamples(
            "Create the pool: write the config (if none exists), check that every remote exists and is reachable, and write a pool descriptor on each. Safe to run again: it adds new remotes of the config to the pool.",
            "rclonepool init --remote gdrive: --remote onedrive: --remote /mnt/disk1 --chunk-size 64M",
            "rclonepool init --remote mega1: --remote mega2: --crypt-remote crypt-mega1: --crypt-remote crypt-mega2:",
            "rclonepool init          (interactive on a terminal, or re-check an existing config)"))
        {
            remotes, chunkSize, cryptRemotes,
        };
        command.SetAction((parse, ct) => CliApp.RunAsync(parse, async (context, token) =>
        {
            var location = context.ConfigLocation;
            var given = parse.GetValue(remotes) ?? [];
            PoolConfig config;
            var writeConfig = !File.Exists(location.Path);
            if (!writeConfig)
            {
                if (given.Length > 0 || parse.GetValue(chunkSize) is not null)
                {
                    throw new PoolException(PoolErrorKind.Conflict, $"A config already exists at {location.Describe()}; edit it (or pass --config NEW_FILE) instead of giving --remote or --chunk-size.");
                }

                config = context.Config;
            }
            else
            {
                config = new PoolConfig();
                var chosen = given.Length > 0 ? [.. given] : AskForRemotes();
                config.Remotes = [.. chosen];
                config.CryptRemotes = [.. parse.GetValue(cryptRemotes) ?? []];
                config.UseCrypt = config.CryptRemotes.Count > 0;
                if (parse.GetValue(chunkSize) is { } size)
                {
                    config.ChunkSize = SizeParser.Parse(size, "--chunk-size");
                }

                ConfigValidator.EnsureValid(config, "the init options");
                context.UseConfig(config);
            }

            var poolId = await InitializeAsync(context, config, token);
            if (writeConfig)
            {
                ConfigWriter.Write(config, location.Path);
                Console.WriteLine($"init: wrote {location.Describe()}.");
            }

            Console.WriteLine($"init: pool {poolId} on {config.Remotes.Count} remotes ({string.Join(", ", config.Remotes)}).");
            return ExitCodes.Success;
        }, ct));
        return command;
    }

    /// <summary>Checks every remote (and crypt overlay) is known to rclone and reachable, then writes the descriptors.</summary>
    public static async Task<string> InitializeAsync(CliContext context, PoolConfig config, CancellationToken cancellationToken)
    {
        using var loggerFactory = context.CreateLoggerFactory(config);
        await using var plugins = PoolPlugins.Load(config, loggerFactory.CreateLogger("rclonepool.plugins"));
        await using var store = plugins.WrapTransport(RemoteStoreFactory.Create(config, loggerFactory));
        var pool = PoolRemote.FromConfig(config);
        await RemoteChecks.EnsureUsableAsync(config, pool, loggerFactory, cancellationToken);
        var poolId = await new PoolDescriptors(store, new PoolLayout(config.DataPrefix, config.ManifestPrefix)).EnsureAsync(pool, TimeProvider.System, cancellationToken);
        IndexLocator.Remember(config, poolId); // ls then finds the index without asking the remotes
        return poolId;
    }

    private static List<string> AskForRemotes()
    {
        if (Console.IsInputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            throw new PoolException(PoolErrorKind.BadInput, "No config exists yet; name the pool's remotes with --remote NAME: (repeat it for each remote), or run 'rclonepool init' on a terminal to be asked.");
        }

        var remotes = new List<string>();
        AnsiConsole.MarkupLine("Name the rclone remotes of the pool, one per line ([grey]\"name:\", \"name:path\" or a local directory[/]); an empty line ends.");
        while (true)
        {
            var remote = AnsiConsole.Prompt(new TextPrompt<string>($"remote {remotes.Count + 1}:").AllowEmpty());
            if (string.IsNullOrWhiteSpace(remote))
            {
                break;
            }

            remotes.Add(remote.Trim());
        }

        return remotes.Count > 0 ? remotes : throw new PoolException(PoolErrorKind.BadInput, "No remote was named; a pool needs at least one.");
    }
}
