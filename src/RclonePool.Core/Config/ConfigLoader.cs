using System.Text.Json;
using RclonePool.Core.Errors;

namespace RclonePool.Core.Config;

/// <summary>
/// Finds, reads and checks the config file. Reading is strict: every key of <see cref="ConfigKeys"/> is
/// accepted, anything else is refused with the key named and a "did you mean" for near misses, and a value
/// of the wrong type is refused with the key, the value and the expected type. Comments and trailing commas
/// are allowed. All failures are <see cref="PoolException"/>s: Environment when the file cannot be found or
/// read, BadInput when its content is wrong (every problem listed at once).
/// </summary>
public static class ConfigLoader
{
    /// <summary>The environment variable that names the config file when --config is not given.</summary>
    public const string PathVariable = "RCLONEPOOL_CONFIG";

    /// <summary>The file name inside the config directory.</summary>
    public const string FileName = "config.json";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 16,
    };

    /// <summary>
    /// Where the config file is: <paramref name="explicitPath"/> (from --config) if given, else
    /// $RCLONEPOOL_CONFIG, else $XDG_CONFIG_HOME/rclonepool/config.json, else ~/.config/rclonepool/config.json.
    /// A leading ~ is expanded and relative paths are made absolute. The file need not exist.
    /// </summary>
    public static ConfigLocation Locate(string? explicitPath = null, ConfigEnvironment? environment = null)
    {
        environment ??= ConfigEnvironment.Process;
        if (explicitPath is not null)
        {
            if (string.IsNullOrWhiteSpace(explicitPath))
            {
                throw ConfigErrors.EmptyPath("--config");
            }

            return new ConfigLocation(Absolute(explicitPath, environment), ConfigSource.Argument);
        }

        if (environment.GetVariable(PathVariable) is { } fromVariable)
        {
            if (string.IsNullOrWhiteSpace(fromVariable))
            {
                throw ConfigErrors.EmptyPath(PathVariable);
            }

            return new ConfigLocation(Absolute(fromVariable, environment), ConfigSource.EnvironmentVariable);
        }

        var configHome = environment.GetVariable("XDG_CONFIG_HOME");
        if (configHome is null || !Path.IsPathRooted(configHome))
        {
            // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
            var home = environment.HomeDirectory ?? throw ConfigErrors.NoHome("the default config file ~/.config/rclonepool/" + FileName);
            configHome = Path.Combine(home, ".config");
        }

        return new ConfigLocation(Path.GetFullPath(Path.Combine(configHome, "rclonepool", FileName)), ConfigSource.Default);
    }

    /// <summary>Locates, reads, parses and validates the config: what a command calls at start.</summary>
    /// <param name="explicitPath">The value of --config, or null.</param>
    /// <param name="environment">Null for the process environment.</param>
    public static PoolConfig Load(string? explicitPath = null, ConfigEnvironment? environment = null) =>
        LoadFrom(Locate(explicitPath, environment), environment);

    /// <summary>Reads, parses and validates the config file at <paramref name="location"/>.</summary>
    public static PoolConfig LoadFrom(ConfigLocation location, ConfigEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        byte[] bytes;
        try
        {
            if (Directory.Exists(location.Path))
            {
                throw ConfigErrors.IsDirectory(location);
            }

            bytes = File.ReadAllBytes(location.Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ConfigErrors.Missing(location);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConfigErrors.Unreadable(location, e);
        }

        var config = Parse(bytes, location.Path, environment);
        ConfigValidator.EnsureValid(config, location.Path);
        return config;
    }

    /// <summary>
    /// Parses config JSON strictly and expands ~ in path-valued keys, without the range and cross-key checks
    /// of <see cref="ConfigValidator"/>. Keys the JSON leaves out keep their defaults.
    /// </summary>
    /// <param name="source">Names the JSON in messages (the file path).</param>
    public static PoolConfig Parse(string json, string source, ConfigEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Parse(System.Text.Encoding.UTF8.GetBytes(json), source, environment);
    }

    /// <inheritdoc cref="Parse(string, string, ConfigEnvironment?)"/>
    public static PoolConfig Parse(ReadOnlyMemory<byte> utf8, string source, ConfigEnvironment? environment = null)
    {
        if (utf8.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            utf8 = utf8[3..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw ConfigErrors.Malformed(source, e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw ConfigErrors.NotAnObject(source, root.ValueKind);
            }

            var config = new PoolConfig();
            var problems = new List<ConfigProblem>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                var key = ConfigKeys.Find(property.Name);
                if (key is null)
                {
                    problems.Add(new ConfigProblem(property.Name, UnknownKey(property.Name)));
                    continue;
                }

                if (!seen.Add(key.Name))
                {
                    problems.Add(new ConfigProblem(key.Name, $"{key.Name} appears twice; keep one of them."));
                    continue;
                }

                if (key.Read(property.Value, config) is { } problem)
                {
                    problems.Add(new ConfigProblem(key.Name, problem));
                }
            }

            if (problems.Count > 0)
            {
                throw ConfigErrors.Invalid(source, problems);
            }

            Normalise(config, environment ?? ConfigEnvironment.Process);
            return config;
        }
    }

    /// <summary>Expands a leading "~" or "~/" to the home directory; other paths are returned unchanged.</summary>
    public static string ExpandHome(string path, ConfigEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path != "~" && !path.StartsWith("~/", StringComparison.Ordinal))
        {
            return path;
        }

        var home = (environment ?? ConfigEnvironment.Process).HomeDirectory ?? throw ConfigErrors.NoHome(path);
        return path.Length == 1 ? home : Path.Join(home, path[2..]);
    }

    private static string UnknownKey(string name)
    {
        var suggestion = ConfigKeys.Suggest(name);
        var hint = suggestion is null
            ? "docs/configuration.md lists every key"
            : $"did you mean '{suggestion}'?";
        return $"unknown key {ConfigType<string>.Quote(name)} ({hint}); remove or rename it.";
    }

    private static string Absolute(string path, ConfigEnvironment environment) =>
        Path.GetFullPath(ExpandHome(path.Trim(), environment));

    /// <summary>Expands ~ in every key that holds a local path and in local-directory remotes ("~/disks/d1"); upper-cases a known log_level.</summary>
    internal static void Normalise(PoolConfig config, ConfigEnvironment environment)
    {
        string Expand(string value) => ExpandHome(value, environment);

        config.TempDir = Expand(config.TempDir);
        config.ManifestCacheDir = Expand(config.ManifestCacheDir);
        config.PluginsDir = Expand(config.PluginsDir);
        config.ApiUploadRoots = [.. config.ApiUploadRoots.Select(Expand)];
        config.RcloneBinary = Expand(config.RcloneBinary);
        config.SslCertFile = config.SslCertFile is null ? null : Expand(config.SslCertFile);
        config.SslKeyFile = config.SslKeyFile is null ? null : Expand(config.SslKeyFile);
        config.Remotes = [.. config.Remotes.Select(Expand)];
        config.CryptRemotes = [.. config.CryptRemotes.Select(Expand)];
        config.RemoteWeights = ExpandKeys(config.RemoteWeights, Expand);
        config.RemotePriorities = ExpandKeys(config.RemotePriorities, Expand);
        config.DrainingRemotes = [.. config.DrainingRemotes.Select(Expand)];
        config.Users = config.Users.ToDictionary(u => u.Key, u => u.Value with { Config = Expand(u.Value.Config) }, StringComparer.Ordinal);
        if (ConfigValidator.LogLevels.FirstOrDefault(l => l.Equals(config.LogLevel, StringComparison.OrdinalIgnoreCase)) is { } level)
        {
            config.LogLevel = level;
        }
    }

    private static Dictionary<string, T> ExpandKeys<T>(Dictionary<string, T> map, Func<string, string> expand)
    {
        var expanded = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            expanded[expand(key)] = value;
        }

        return expanded;
    }
}
