namespace RclonePool.Core.Config;

/// <summary>
/// The spelling of a remote served by a <c>storage_backend</c> plugin in <c>remotes</c>: <c>plugin=NAME</c>, NAME being the
/// plugin's name (its id is <c>storage_backend:NAME</c>). It can never be an rclone remote: rclone reads "name:path" only
/// when a ':' follows the name, and a spec without one as a directory relative to the current one, which rclonepool
/// refuses (local directories must be absolute). Even with a ':' appended, "plugin=NAME" is not a remote name rclone
/// allows ('=' is not among the letters, digits, '_', '-', '.', '+', '@' and spaces of its names).
/// </summary>
public static class StorageBackendRemote
{
    public const string Prefix = "plugin=";

    /// <summary>True when <paramref name="remote"/> is written as a storage-backend remote (valid or not).</summary>
    public static bool IsPluginRemote(string? remote) => remote?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>The plugin name of <paramref name="remote"/>, or null when it is not a storage-backend remote.</summary>
    public static string? PluginName(string? remote) => IsPluginRemote(remote) ? remote![Prefix.Length..] : null;

    /// <summary>The remote spelling for the plugin <paramref name="name"/>.</summary>
    public static string For(string name) => Prefix + name;

    /// <summary>Null when <paramref name="remote"/> is a well-formed storage-backend remote, else why not (completing "it ...").</summary>
    public static string? Check(string remote)
    {
        var name = PluginName(remote) ?? string.Empty;
        return name.Length is > 0 and <= 64 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-')
            ? null
            : $"names the plugin \"{name}\", and a plugin name is 1 to 64 lower case letters, digits, '_' or '-' (write \"{Prefix}NAME\" for the storage_backend plugin NAME)";
    }
}
