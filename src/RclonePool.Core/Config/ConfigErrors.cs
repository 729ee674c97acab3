using System.Text;
using System.Text.Json;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Config;

/// <summary>The exceptions of config loading and writing, built in one place so that every message names the file and says what to do.</summary>
internal static class ConfigErrors
{
    public static PoolException Missing(ConfigLocation location) => new(
        PoolErrorKind.Environment,
        $"No config file at {location.Describe()}; run 'rclonepool init' to create one, or choose another file with --config FILE or {ConfigLoader.PathVariable}.");

    public static PoolException IsDirectory(ConfigLocation location) => new(
        PoolErrorKind.Environment,
        $"The config path {location.Describe()} is a directory; point it at a JSON file such as {Path.Combine(location.Path, ConfigLoader.FileName)}.");

    public static PoolException Unreadable(ConfigLocation location, Exception e) => new(
        PoolErrorKind.Environment,
        $"Cannot read the config file {location.Describe()}: {e.Message} Check that it exists and that this user may read it.",
        e);

    public static PoolException EmptyPath(string what) => new(
        PoolErrorKind.BadInput,
        $"{what} is empty; give the path of a config file, e.g. ~/.config/rclonepool/{ConfigLoader.FileName}.");

    public static PoolException NoHome(string forWhat) => new(
        PoolErrorKind.Environment,
        $"Cannot resolve {forWhat}: HOME is not set; set HOME, or use absolute paths and --config FILE.");

    public static PoolException Malformed(string source, JsonException e)
    {
        var detail = e.Message;
        foreach (var marker in new[] { " LineNumber:", " Path:" })
        {
            var cut = detail.IndexOf(marker, StringComparison.Ordinal);
            if (cut >= 0)
            {
                detail = detail[..cut];
            }
        }

        detail = detail.Trim().TrimEnd('.');
        var where = e.LineNumber is { } line
            ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}"
            : string.Empty;
        return new PoolException(
            PoolErrorKind.BadInput,
            $"The config file {source} is not valid JSON{where}: {detail}. Fix the file (comments and trailing commas are allowed), or move it away and run 'rclonepool init'.",
            e);
    }

    public static PoolException NotAnObject(string source, JsonValueKind kind) => new(
        PoolErrorKind.BadInput,
        $"The config file {source} holds {kind.ToString().ToLowerInvariant()} where a JSON object is expected; it must look like {{\"remotes\": [\"gdrive:\"], \"chunk_size\": \"100M\"}}.");

    /// <summary>All the problems of one config, as one exception; a single problem reads as one sentence.</summary>
    public static PoolException Invalid(string source, IReadOnlyList<ConfigProblem> problems)
    {
        if (problems.Count == 1)
        {
            return new PoolException(PoolErrorKind.BadInput, $"Config {source}: {problems[0].Message}");
        }

        var message = new StringBuilder($"Config {source} has {problems.Count} problems:");
        foreach (var problem in problems)
        {
            message.Append("\n  - ").Append(problem.Message);
        }

        return new PoolException(PoolErrorKind.BadInput, message.ToString());
    }

    public static PoolException Exists(string path) => new(
        PoolErrorKind.Conflict,
        $"A config file already exists at {path}; edit it, remove it first, or write another with --config FILE.");

    public static PoolException CannotWrite(string path, Exception e) => new(
        PoolErrorKind.Environment,
        $"Cannot write the config file {path}: {e.Message} Check that its directory is writable.",
        e);
}
