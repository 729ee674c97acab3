using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace RclonePool.Server.Auth;

/// <summary>
/// Runs an <see cref="IRequestAuthenticator"/> before everything registered after it (WebDAV now; the REST API and
/// the web UI later). A refused request goes no further: the authenticator has written its status and headers.
/// </summary>
public sealed class AuthenticationMiddleware(RequestDelegate next, IRequestAuthenticator authenticator)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await authenticator.AuthenticateAsync(context, context.RequestAborted))
        {
            await next(context);
        }
    }
}
