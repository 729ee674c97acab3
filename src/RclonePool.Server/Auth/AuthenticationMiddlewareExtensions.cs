using Microsoft.AspNetCore.Builder;

namespace RclonePool.Server.Auth;

/// <summary>Adds <see cref="AuthenticationMiddleware"/> to a pipeline.</summary>
public static class AuthenticationMiddlewareExtensions
{
    /// <summary>Every request after this point needs what <paramref name="authenticator"/> asks for; null adds nothing.</summary>
    public static IApplicationBuilder UseRequestAuthentication(this IApplicationBuilder app, IRequestAuthenticator? authenticator) =>
        authenticator is null ? app : app.UseMiddleware<AuthenticationMiddleware>(authenticator);
}
