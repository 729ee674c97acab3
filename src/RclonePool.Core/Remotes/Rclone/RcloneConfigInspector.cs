using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Remotes.Rclone;

/// <summary>
/// Looks at the user's rclone setup for <c>rclonepool init</c>: which remotes rclone's config defines, and whether a
/// remote is defined and answers. Runs the rclone command (no daemon needed), honouring <c>RCLONE_CONFIG</c>.
/// </summary>
public sealed class RcloneConfigInspector
{
    private readonly RcloneOptions _options;
    private readonly ILogger _logger;

    public RcloneConfigInspector(RcloneOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RcloneConfigInspector>();
    }

    /// <summary>The remotes rclone's config defines, spelled as rclone lists them ("gdrive:").</summary>
    public async Task<IReadOnlyList<string>> ListRemotesAsync(CancellationToken cancellationToken)
    {
        var call = new RcloneCall("list the remotes of", "rclone's config", "");
        var result = await RcloneCommand.RunAsync(_options, RcloneArguments.Command(_options, "listremotes", []), _logger, call, cancellationToken);
        if (!result.Succeeded)
        {
            throw call.FromExit(result.ExitCode, result.ErrorLines);
        }

        return Encoding.UTF8.GetString(result.Output)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
    }

    /// <summary>
    /// The config section a remote spelling refers to ("gdrive" for "gdrive:dir" or "gdrive,shared=true:"), or null for
    /// a local path or an on-the-fly connection string (":webdav,url=…:"), which need no config.
    /// </summary>
    public static string? ConfigName(string remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var colon = remote.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        var head = remote[..colon];
        if (head.Contains('/', StringComparison.Ordinal) || head.Contains('\\', StringComparison.Ordinal))
        {
            return null;
        }

        var comma = head.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? head : head[..comma];
    }

    /// <summary>True when rclone can resolve the remote: a named remote must be defined in its config.</summary>
    public async Task<bool> IsDefinedAsync(string remote, CancellationToken cancellationToken)
    {
        var name = ConfigName(remote);
        if (name is null)
        {
            return true;
        }

        var defined = await ListRemotesAsync(cancellationToken);
        return defined.Contains(name + ":", StringComparer.Ordinal) || IsDefinedByEnvironment(name);
    }

    /// <summary>
    /// Checks that the remote is defined and answers a one-level listing of its root (a root that does not exist yet
    /// counts as reachable: it is created on the first write). Problems are returned, classified, not thrown.
    /// </summary>
    public async Task<RemoteCheck> CheckAsync(string remote, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(remote);
        if (!await IsDefinedAsync(remote, cancellationToken))
        {
            return new RemoteCheck(remote, false, false, new PoolException(
                PoolErrorKind.BadInput,
                $"The remote \"{remote}\" is not defined in rclone's config file: create it with `rclone config`, or check its spelling " +
                "and that RCLONE_CONFIG names the right config file."));
        }

        var call = new RcloneCall("reach", remote, remote);
        try
        {
            var arguments = RcloneArguments.Command(_options, "lsjson", ["--max-depth", "1", "--dirs-only", "--no-mimetype", "--no-modtime"], remote);
            var result = await RcloneCommand.RunAsync(_options, arguments, _logger, call, cancellationToken);
            if (result.Succeeded || call.Classify(result.ExitCode, result.ErrorLines) == PoolErrorKind.NotFound)
            {
                return new RemoteCheck(remote, true, true, null);
            }

            return new RemoteCheck(remote, true, false, call.FromExit(result.ExitCode, result.ErrorLines));
        }
        catch (PoolException e) when (e.Kind != PoolErrorKind.Environment)
        {
            return new RemoteCheck(remote, true, false, e);
        }
    }

    private bool IsDefinedByEnvironment(string name)
    {
        // rclone also defines remotes from RCLONE_CONFIG_<NAME>_TYPE variables.
        var variable = "RCLONE_CONFIG_" + name.ToUpperInvariant().Replace('-', '_') + "_TYPE";
        return !string.IsNullOrEmpty(_options.Environment.TryGetValue(variable, out var value) ? value : System.Environment.GetEnvironmentVariable(variable));
    }
}
