using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RclonePool.Core.Config;

/// <summary>
/// Changes an existing config file in place ('remote add' appends to <c>remotes</c>, 'remote drain' to
/// <c>draining_remotes</c>, 'remote remove' takes a remote out): everything else stays exactly as the user wrote it (no defaults added, no environment overrides written). The result is validated first; the write
/// is atomic (a temporary file beside it, flushed, renamed over it, mode 0600). Nothing changes on failure.
/// </summary>
public static class ConfigFileEdit
{
    private static readonly string[] RemoteMaps = ["remote_weights", "remote_priorities"];

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

    /// <summary>
    /// Takes <paramref name="remote"/> out of the config file at <paramref name="path"/> ('remote remove'): from
    /// <c>remotes</c>, <c>draining_remotes</c>, <c>remote_weights</c> and <c>remote_priorities</c>, and with
    /// <c>use_crypt</c> its crypt remote (the item of <c>crypt_remotes</c> at the same position). Returns the config as
    /// it is now.
    /// </summary>
    public static PoolConfig RemoveRemote(string path, PoolConfig loaded, string remote)
    {
        var changed = WithoutRemote(loaded, remote);
        bool Same(string? r) => r is not null && ConfigValidator.NormaliseRemote(r) == ConfigValidator.NormaliseRemote(remote);
        Edit(path, changed, root =>
        {
            var filePosition = -1;
            if (root["remotes"] is JsonArray remotes)
            {
                filePosition = remotes.ToList().FindIndex(n => Same(n?.GetValue<string>()));
                RemoveWhere(remotes, n => Same(n?.GetValue<string>()));
            }

            if (root["draining_remotes"] is JsonArray draining)
            {
                RemoveWhere(draining, n => Same(n?.GetValue<string>()));
            }

            foreach (var key in RemoteMaps)
            {
                if (root[key] is JsonObject map)
                {
                    foreach (var name in map.Select(p => p.Key).Where(Same).ToList())
                    {
                        map.Remove(name);
                    }
                }
            }

            if (loaded.UseCrypt && filePosition >= 0 && root["crypt_remotes"] is JsonArray crypt && filePosition < crypt.Count)
            {
                crypt.RemoveAt(filePosition);
            }
        });
        return changed;
    }

    /// <summary>The config without <paramref name="remote"/> (see <see cref="RemoveRemote"/>), not validated.</summary>
    public static PoolConfig WithoutRemote(PoolConfig loaded, string remote)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(remote);
        var normalised = ConfigValidator.NormaliseRemote(remote);
        bool Same(string r) => ConfigValidator.NormaliseRemote(r) == normalised;
        var position = loaded.Remotes.FindIndex(Same);
        var changed = WithRemotes(loaded, loaded.Remotes.Where(r => !Same(r)));
        changed.DrainingRemotes = [.. loaded.DrainingRemotes.Where(r => !Same(r))];
        changed.RemoteWeights = loaded.RemoteWeights.Where(w => !Same(w.Key)).ToDictionary(StringComparer.Ordinal);
        changed.RemotePriorities = loaded.RemotePriorities.Where(p => !Same(p.Key)).ToDictionary(StringComparer.Ordinal);
        if (loaded.UseCrypt && position >= 0 && position < loaded.CryptRemotes.Count)
        {
            changed.CryptRemotes = [.. loaded.CryptRemotes.Where((_, i) => i != position)];
        }

        return changed;
    }

    private static void RemoveWhere(JsonArray list, Func<JsonNode?, bool> match)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (match(list[i]))
            {
                list.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// Sets one entry of a map key (<c>webdav_users</c>, <c>webdav_api_keys</c>) to <paramref name="value"/>, or removes
    /// it when <paramref name="value"/> is null; <paramref name="get"/> and <paramref name="set"/> reach that map in a
    /// config, so the changed config is validated first. The rest of the file stays as the user wrote it.
    /// </summary>
    public static void SetEntry(
        string path, PoolConfig loaded, string key, Func<PoolConfig, Dictionary<string, string>> get, Action<PoolConfig, Dictionary<string, string>> set, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(name);
        var changed = WithRemotes(loaded, loaded.Remotes);
        var map = new Dictionary<string, string>(get(loaded), StringComparer.Ordinal);
        if (value is null)
        {
            map.Remove(name);
        }
        else
        {
            map[name] = value;
        }

        set(changed, map);
        Edit(path, changed, root =>
        {
            if (root[key] is not JsonObject json)
            {
                root[key] = json = new JsonObject();
            }

            json.Remove(name);
            if (value is not null)
            {
                json[name] = value;
            }
        });
    }

    /// <summary>
    /// Replaces the list key <paramref name="key"/> (<c>enabled_plugins</c>) with <paramref name="values"/>, created when
    /// missing; <paramref name="set"/> puts it in a config, so the changed config is validated first. The rest of the file
    /// stays as the user wrote it.
    /// </summary>
    public static void SetList(string path, PoolConfig loaded, string key, Action<PoolConfig, List<string>> set, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(values);
        var changed = WithRemotes(loaded, loaded.Remotes);
        set(changed, [.. values]);
        Edit(path, changed, root => root[key] = new JsonArray([.. values.Select(v => (JsonNode)JsonValue.Create(v))]));
    }

    private static void AppendToList(string path, PoolConfig changed, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Edit(path, changed, root =>
        {
            if (root[key] is null && key != "remotes")
            {
                root[key] = new JsonArray();
            }

            if (root[key] is not JsonArray list)
            {
                throw new Errors.PoolException(Errors.PoolErrorKind.BadInput, $"The config file {path} has no \"{key}\" list to add {value} to; add it there by hand.");
            }

            list.Add(JsonValue.Create(value));
        });
    }

    /// <summary>Validates the changed config, then applies <paramref name="edit"/> to the file's JSON and replaces the file atomically.</summary>
    private static void Edit(string path, PoolConfig changed, Action<JsonObject> edit)
    {
        ArgumentNullException.ThrowIfNull(path);
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

        edit(root);
        Replace(path, root.ToJsonString(Indented) + "\n");
    }

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
