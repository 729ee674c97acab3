using RclonePool.Core.Errors;

namespace RclonePool.Server.Auth;

/// <summary>The config names of <see cref="AuthMethod"/>: <c>none</c>, <c>basic</c>, <c>api_key</c>, <c>bearer</c>.</summary>
public static class AuthMethods
{
    public static AuthMethod Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "none" => AuthMethod.None,
        "basic" => AuthMethod.Basic,
        "api_key" => AuthMethod.ApiKey,
        "bearer" => AuthMethod.Bearer,
        _ => throw new PoolException(PoolErrorKind.BadInput,
            $"The authentication method '{name}' is unknown; use none, basic, api_key or bearer (webdav_auth_method or serve --auth)."),
    };

    public static string Name(AuthMethod method) => method switch
    {
        AuthMethod.Basic => "basic",
        AuthMethod.ApiKey => "api_key",
        AuthMethod.Bearer => "bearer",
        _ => "none",
    };
}
