using RclonePool.Core.Config;
using RclonePool.Core.Errors;
using RclonePool.Core.Quotas;

namespace RclonePool.Cli.Hosting;

/// <summary><c>--user NAME</c>: the pool config and quota the server config's users section gives that user.</summary>
internal static class UserConfig
{
    public static (PoolConfig Config, QuotaLimits Quota) Load(PoolConfig serverConfig, string user)
    {
        if (!serverConfig.Users.TryGetValue(user, out var spec))
        {
            var known = serverConfig.Users.Count == 0
                ? "the config has no users section"
                : $"the users are {string.Join(", ", serverConfig.Users.Keys.Order(StringComparer.Ordinal))}";
            throw new PoolException(PoolErrorKind.BadInput, $"--user {user}: there is no such user in the users section ({known}); check the name, or the --config file.");
        }

        try
        {
            return (ConfigLoader.Load(spec.Config), new QuotaLimits(user, spec.QuotaBytes, spec.QuotaFiles));
        }
        catch (PoolException e)
        {
            throw new PoolException(e.Kind, $"--user {user}: the user's pool config cannot be used: {e.Message}", e);
        }
    }
}
