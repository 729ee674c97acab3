using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Plugins;

/// <summary>The errors of remotes served by <c>storage_backend</c> plugins, built in one place; each says what to do.</summary>
public static class StorageBackendErrors
{
    /// <summary>The remote's plugin is not there to serve it: every call fails like a call to a remote that is down.</summary>
    public static PoolException NotLoaded(string remote, string reason) =>
        new(PoolErrorKind.Transient, $"{remote} cannot be reached: {reason}.");

    /// <summary>Why <paramref name="remote"/> has no plugin, completing "… cannot be reached: ".</summary>
    public static string WhyNotLoaded(string remote, PluginCatalog? catalog)
    {
        var name = StorageBackendRemote.PluginName(remote) ?? remote;
        var id = $"storage_backend:{name}";
        if (catalog is null)
        {
            return $"it is served by the storage_backend plugin {name}, and enable_plugins is off (set it to true and enable the plugin with 'rclonepool plugins enable {id}')";
        }

        var present = catalog.Plugins.FirstOrDefault(p => p.Id.ToString() == id);
        return present switch
        {
            null => $"no plugin {id} is in plugins_dir {catalog.Directory} ('rclonepool plugins load PATH' adds it; 'rclonepool plugins list' shows what is there)",
            { Enabled: false } when catalog.Problems.Any(p => p.Path == present.Path) =>
                $"the plugin {id} did not start ({catalog.Problems.First(p => p.Path == present.Path).Message})",
            { Enabled: false } => $"the plugin {id} is not enabled ('rclonepool plugins enable {id}')",
            _ => $"the plugin {id} is not a storage_backend plugin",
        };
    }

    public static PoolException Disabled(string remote, string id) =>
        new(PoolErrorKind.Transient, $"{remote} cannot be reached: the storage_backend plugin {id} was disabled after {PluginGuard.Limit} failures in a row; fix the store or the plugin, then restart rclonepool.");

    public static PoolException Failed(string remote, string id, string operation, RemotePath path, Exception? failure, TimeSpan timeout) => failure is null
        ? new(PoolErrorKind.Transient, $"{remote}: the storage_backend plugin {id} did not finish the {operation} of {path.Path} within {timeout.TotalSeconds:0.###} s (plugin_timeout); raise plugin_timeout for a slow store.")
        : new(failure is UnauthorizedAccessException ? PoolErrorKind.Remote : PoolErrorKind.Transient,
            $"{remote}: the storage_backend plugin {id} failed the {operation} of {path.Path}: {failure.GetType().Name}: {failure.Message}", failure);
}
