using Microsoft.Extensions.Logging;
using RclonePool.Core.Config;
using RclonePool.Core.Errors;

namespace RclonePool.Server.Auth;

/// <summary>Builds the authenticator a config asks for: <c>webdav_auth_method</c> (or <c>serve --auth</c>) over <c>webdav_users</c> and <c>webdav_api_keys</c>.</summary>
public static class ServerAuthentication
{
    /// <summary>
    /// The authenticator for <paramref name="method"/>, or null for <see cref="AuthMethod.None"/>. BadInput when the
    /// method has nobody to let in, or a stored entry is not a hash rclonepool wrote.
    /// </summary>
    public static CredentialAuthenticator? Create(
        PoolConfig config,
        AuthMethod method,
        ILoggerFactory loggerFactory,
        ThrottleOptions? throttle = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (method == AuthMethod.None)
        {
            return null;
        }

        if (method == AuthMethod.Basic && config.WebdavUsers.Count == 0)
        {
            throw new PoolException(PoolErrorKind.BadInput,
                "Basic authentication is asked for but webdav_users has no user; add one with 'rclonepool user add NAME' first.");
        }

        if (method is AuthMethod.ApiKey or AuthMethod.Bearer && config.WebdavApiKeys.Count == 0)
        {
            throw new PoolException(PoolErrorKind.BadInput,
                $"{AuthMethods.Name(method)} authentication is asked for but webdav_api_keys has no key; create one with 'rclonepool key create NAME' first.");
        }

        time ??= TimeProvider.System;
        var credentials = new CredentialStore(config.WebdavUsers, config.WebdavApiKeys, time);
        return new CredentialAuthenticator(
            new AuthOptions { Method = method, Credentials = credentials, Throttle = throttle ?? new ThrottleOptions(), TimeProvider = time },
            loggerFactory);
    }
}
