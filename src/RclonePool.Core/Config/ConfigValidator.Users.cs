namespace RclonePool.Core.Config;

public static partial class ConfigValidator
{
    /// <summary>
    /// The <c>users</c> section: a valid user name, an existing pool config file of the user's own, and quotas of 0 or
    /// more. That each user has credentials is checked when a server starts (<see cref="UsersWithoutCredentials"/>), not
    /// here: 'rclonepool user add' must be able to edit a config whose users section names a user who has none yet.
    /// </summary>
    private static void CheckUsers(PoolConfig config, List<ConfigProblem> problems)
    {
        foreach (var (user, spec) in config.Users)
        {
            if (string.IsNullOrWhiteSpace(user) || user.Contains(':', StringComparison.Ordinal) || user.Any(char.IsControl))
            {
                problems.Add(new("users", $"users has the user name {Quote(user)}; a user name must be non-empty, without ':' or control characters."));
                continue;
            }

            var path = spec.Config;
            if (string.IsNullOrWhiteSpace(path))
            {
                problems.Add(new("users", $"users {Quote(user)} has an empty \"config\"; give the path of the user's pool config file (made with 'rclonepool --config PATH init')."));
            }
            else if (!Path.IsPathFullyQualified(path) && !path.StartsWith("~/", StringComparison.Ordinal))
            {
                problems.Add(new("users", $"users {Quote(user)} has the config {Quote(path)}, which is not an absolute path; give an absolute path or one starting with ~/."));
            }
            else if (Path.IsPathFullyQualified(path) && !File.Exists(path))
            {
                problems.Add(new("users", $"users {Quote(user)} has the config {Quote(path)}, which does not exist; create it with 'rclonepool --config {path} init REMOTES…'."));
            }

            if (spec.QuotaBytes < 0)
            {
                problems.Add(new("users", $"users {Quote(user)} has quota_bytes {spec.QuotaBytes}; give 0 (no limit) or more, e.g. \"100G\"."));
            }

            if (spec.QuotaFiles < 0)
            {
                problems.Add(new("users", $"users {Quote(user)} has quota_files {spec.QuotaFiles}; give 0 (no limit) or more."));
            }
        }

        var configs = config.Users.Where(u => !string.IsNullOrWhiteSpace(u.Value.Config)).GroupBy(u => u.Value.Config, StringComparer.Ordinal).Where(g => g.Count() > 1);
        foreach (var shared in configs)
        {
            problems.Add(new("users",
                $"users {string.Join(" and ", shared.Select(u => Quote(u.Key)))} share the config {Quote(shared.Key)}; each user needs a pool of their own (own remotes, index and cache)."));
        }
    }

    /// <summary>True when the key named <paramref name="keyName"/> acts for <paramref name="user"/>: it is named USER or USER:LABEL.</summary>
    public static bool KeyBelongsTo(string keyName, string user) =>
        string.Equals(keyName, user, StringComparison.Ordinal) ||
        (keyName.Length > user.Length && keyName[user.Length] == ':' && keyName.StartsWith(user, StringComparison.Ordinal));

    /// <summary>The users of the users section with neither a password nor a key, each as a sentence saying how to add one.</summary>
    public static IReadOnlyList<string> UsersWithoutCredentials(PoolConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return [.. config.Users.Keys
            .Where(user => !config.WebdavUsers.ContainsKey(user) && !config.WebdavApiKeys.Keys.Any(k => KeyBelongsTo(k, user)))
            .Order(StringComparer.Ordinal)
            .Select(user => $"users gives \"{user}\" a pool, but \"{user}\" has no credentials: add a password with 'rclonepool user add {user}' or a key with 'rclonepool key create {user}' (or {user}:LABEL).")];
    }
}
