using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RclonePool.Core.Config;

/// <summary>
/// Changes an existing config file in place ('remote add' appends to <c>remotes</c>, 'remote drain' to
/// <c>draining_remotes</c>): everything else stays exactly as the user wrote it (no defaults added, no environment overrides written). The result is validated first; the write
/// is atomic (a temporary file beside it, flushed, renamed over it, mode 0600). Nothing changes on failure.
/// </summary>
public static class ConfigFileEdit
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Appends <paramref name="remote"/> to <c>remotes</c> in the config file at <paramref name="path"/>, whose loaded form is <paramref name="loaded"/>.</summary>
    public static void AddRemote(string path, PoolConfig loaded, string remote)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        AppendToList(path, WithRemotes(loaded, [.. loaded.Remotes, remote]), "remotes", remote);
    }

    /// <summary>Appends <paramref name="remote"/> to <c>draining_remotes</c> (created when missing) in the config file at <paramref name="path"/>.</summary>
    public static void AddDraining(string path, PoolConfig loaded, string remote)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var changed = WithRemotes(loaded, loaded.Remotes);
        changed.DrainingRemotes = [.. loaded.DrainingRemotes, remote];
        AppendToList(path, changed, "draining_remotes", remote);
    }

    private static void AppendToList(string path, PoolConfig changed, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(value);
        ConfigValidator.EnsureValid(changed, path);

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw ConfigErrors.NotAnObject(path, JsonValueKind.Undefined);
        }
        catch (JsonException e)
        {
            throw ConfigErrors.Malformed(path, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConfigErrors.CannotWrite(path, e);
        }

        if (root[key] is null && key != "remotes")
        {
            root[key] = new JsonArray();
        }

        if (root[key] is not JsonArray list)
        {
            throw new Errors.PoolException(Errors.PoolErrorKind.BadInput, $"The config file {path} has no \"{key}\" list to add {value} to; add it there by hand.");
        }

        list.Add(JsonValue.Create(value));
        Replace(path, root.ToJsonString(Indented) + "\n");
    }

    /// <summary>A copy of <paramref name="config"/> with other <c>remotes</c> (the config a pool opens with while a remote joins).</summary>
    public static PoolConfig WithRemotes(PoolConfig config, IEnumerable<string> remotes)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(remotes);
        var copy = new PoolConfig();
        foreach (var key in ConfigKeys.All)
        {
            key.CopyValue(config, copy);
        }

        copy.Remotes = [.. remotes];
        return copy;
    }

    private static void Replace(string path, string text)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw ConfigErrors.CannotWrite(path, e);
        }
        finally
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover temporary file is harmless.
            }
        }
    }
}
