using Microsoft.AspNetCore.Builder;

namespace RclonePool.Server.Auth;

/// <summary>Adds <see cref="AuthenticationMiddleware"/> to a pipeline.</summary>
public static class AuthenticationMiddlewareExtensions
{
    /// <summary>
    /// Every request after this point needs what <paramref name="authenticator"/> asks for, and carries the user (or key)
    /// name as <c>HttpContext.User</c>; with null, nothing is asked and every request is made by "anonymous".
    /// </summary>
    public static IApplicationBuilder UseRequestAuthentication(this IApplicationBuilder app, IRequestAuthenticator? authenticator) =>
        authenticator is not null ? app.UseMiddleware<AuthenticationMiddleware>(authenticator) : app.Use((context, next) =>
        {
            context.User = AnonymousUser.Principal();
            return next(context);
        });
}
