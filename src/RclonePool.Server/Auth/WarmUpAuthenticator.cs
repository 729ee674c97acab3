using Microsoft.AspNetCore.Http;
using RclonePool.Server.Transport;

namespace RclonePool.Server.Auth;

/// <summary>
/// An authenticator that lets the open loopback warm-up's requests through without credentials (they go to the scratch
/// pool, never the served one: <see cref="WarmUpRoute"/>), and asks every other request what <paramref name="inner"/> asks.
/// </summary>
internal sealed class WarmUpAuthenticator(IRequestAuthenticator inner, WarmUpRoute route) : IRequestAuthenticator
{
    public string Scheme => inner.Scheme;

    public ValueTask<bool> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (route.Admits(context))
        {
            context.User = AnonymousUser.Principal();
            return ValueTask.FromResult(true);
        }

        return inner.AuthenticateAsync(context, cancellationToken);
    }
}
