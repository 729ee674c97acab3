using RclonePool.Core.Config;

namespace RclonePool.Cli.Hosting;

/// <summary>
/// The user and key commands' edits of the config file: one entry of <c>webdav_users</c> or <c>webdav_api_keys</c>
/// set or removed, the rest of the file kept as the user wrote it (<see cref="ConfigFileEdit"/>).
/// </summary>
internal static class ConfigEdit
{
    /// <summary>Sets (or, with null, removes) the password hash of <paramref name="user"/>.</summary>
    public static void SetUser(CliContext context, string user, string? hash) =>
        ConfigFileEdit.SetEntry(context.ConfigLocation.Path, ConfigLoader.LoadFrom(context.ConfigLocation), "webdav_users", c => c.WebdavUsers, (c, m) => c.WebdavUsers = m, user, hash);

    /// <summary>Sets (or, with null, removes) the hash of the API key named <paramref name="key"/>.</summary>
    public static void SetApiKey(CliContext context, string key, string? hash) =>
        ConfigFileEdit.SetEntry(context.ConfigLocation.Path, ConfigLoader.LoadFrom(context.ConfigLocation), "webdav_api_keys", c => c.WebdavApiKeys, (c, m) => c.WebdavApiKeys = m, key, hash);
}
