using System.Text.Encodings.Web;
using System.Text.Json;

namespace RclonePool.Core.Config;

/// <summary>
/// Writes a config file, as 'rclonepool init' does. The file holds "remotes" and "chunk_size" always, then
/// every key whose value differs from its default (or every key, when asked), in <see cref="ConfigKeys.All"/>
/// order, so that a written file says what was chosen and later default changes still reach it. Local paths
/// under the home directory are written as "~/…". The write is atomic: a temporary file in the same
/// directory (mode 0600), flushed to disk, then renamed over the target.
/// </summary>
public static class ConfigWriter
{
    private static readonly HashSet<string> AlwaysWritten = new(StringComparer.Ordinal) { "remotes", "chunk_size" };

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON text <see cref="Write"/> would write, without validating <paramref name="config"/>.</summary>
    /// <param name="includeDefaults">True writes every key, defaults included.</param>
    public static string ToJson(PoolConfig config, bool includeDefaults = false, ConfigEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var written = WithHomeContracted(config, environment ?? ConfigEnvironment.Process);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var key in ConfigKeys.All)
            {
                if (includeDefaults || AlwaysWritten.Contains(key.Name) || !key.HasDefaultValue(written))
                {
                    writer.WritePropertyName(key.Name);
                    key.WriteValue(writer, written);
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// Validates <paramref name="config"/> and writes it to <paramref name="path"/> atomically, creating the
    /// directory. Refuses (Conflict) when the file exists and <paramref name="overwrite"/> is false; BadInput
    /// when the config is invalid; Environment when the file cannot be written. Nothing is changed on failure.
    /// </summary>
    public static void Write(PoolConfig config, string path, bool overwrite = false, bool includeDefaults = false, ConfigEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw ConfigErrors.EmptyPath("The config path");
        }

        var full = Path.GetFullPath(ConfigLoader.ExpandHome(path, environment));
        ConfigValidator.EnsureValid(config, full);
        if (!overwrite && File.Exists(full))
        {
            throw ConfigErrors.Exists(full);
        }

        var bytes = System.Text.Encoding.UTF8.GetBytes(ToJson(config, includeDefaults, environment));
        var directory = Path.GetDirectoryName(full)!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            CreateDirectory(directory);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                // webdav_users holds password hashes: the file is the user's alone.
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite);
        }
        catch (IOException) when (!overwrite && File.Exists(full))
        {
            throw ConfigErrors.Exists(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConfigErrors.CannotWrite(full, e);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private static void CreateDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless; the next write uses another name.
        }
    }

    /// <summary>A copy of <paramref name="config"/> with local paths under the home directory spelled "~/…".</summary>
    private static PoolConfig WithHomeContracted(PoolConfig config, ConfigEnvironment environment)
    {
        var copy = new PoolConfig();
        foreach (var key in ConfigKeys.All)
        {
            key.CopyValue(config, copy);
        }

        var home = environment.HomeDirectory?.TrimEnd('/');
        if (string.IsNullOrEmpty(home))
        {
            return copy;
        }

        string? Contract(string? value) =>
            value is null ? null
            : value == home ? "~"
            : value.StartsWith(home + "/", StringComparison.Ordinal) ? "~/" + value[(home.Length + 1)..]
            : value;

        copy.TempDir = Contract(copy.TempDir)!;
        copy.ManifestCacheDir = Contract(copy.ManifestCacheDir)!;
        copy.PluginsDir = Contract(copy.PluginsDir)!;
        copy.SslCertFile = Contract(copy.SslCertFile);
        copy.SslKeyFile = Contract(copy.SslKeyFile);
        return copy;
    }
}
