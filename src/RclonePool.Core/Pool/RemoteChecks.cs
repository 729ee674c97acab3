using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes.Rclone;

namespace RclonePool.Core.Pool;

/// <summary>What <c>init</c> checks before writing anything: every remote is known to rclone and answers.</summary>
public static class RemoteChecks
{
    public static async Task EnsureUsableAsync(PoolConfig config, IReadOnlyList<PoolRemote> remotes, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var inspector = new RcloneConfigInspector(RcloneOptions.FromConfig(config), loggerFactory);
        // A plugin=NAME remote is not rclone's: its plugin answers when the descriptor is written.
        var names = remotes.SelectMany(r => r.Storage == r.Name ? [r.Name] : new[] { r.Name, r.Storage })
            .Where(r => !StorageBackendRemote.IsPluginRemote(r)).Distinct(StringComparer.Ordinal).ToList();
        var problems = new List<string>();
        foreach (var remote in names)
        {
            if (Path.IsPathRooted(remote) && !Directory.Exists(remote))
            {
                problems.Add($"the local directory {remote} does not exist (create it with: mkdir -p '{remote}')");
                continue;
            }

            var check = await inspector.CheckAsync(remote, cancellationToken);
            if (!check.IsUsable)
            {
                problems.Add(check.Error?.Message ?? $"{remote} cannot be reached");
            }
        }

        if (problems.Count > 0)
        {
            throw new PoolException(PoolErrorKind.BadInput, $"Nothing was written, because {(problems.Count == 1 ? "a remote is" : "some remotes are")} not usable: {string.Join("; ", problems)}");
        }
    }
}
