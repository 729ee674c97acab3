using System.Globalization;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace RclonePool.Server.Auth;

/// <summary>
/// Basic, API key or bearer authentication for every request it sees (any method, any path): 401 with the method's
/// <c>WWW-Authenticate</c> challenge when credentials are missing or wrong; failures from one client address are
/// slowed, then refused with 429 and <c>Retry-After</c> (<see cref="FailureThrottle"/>); the first failure of a series
/// and the lockout are logged with the address, never with what the client sent. On success the request's
/// <see cref="HttpContext.User"/> names the user or key.
/// </summary>
public sealed class CredentialAuthenticator : IRequestAuthenticator
{
    private readonly AuthOptions _options;
    private readonly FailureThrottle _throttle;
    private readonly ILogger _log;

    public CredentialAuthenticator(AuthOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (options.Method == AuthMethod.None)
        {
            throw new ArgumentException("The authentication method 'none' needs no authenticator; pass none instead.", nameof(options));
        }

        _options = options;
        _throttle = new FailureThrottle(options.Throttle, options.TimeProvider);
        _log = loggerFactory.CreateLogger("RclonePool.Server.Auth");
    }

    public string Scheme => AuthMethods.Name(_options.Method);

    /// <summary>Logs the method and how many users and keys it checks against (once, at start).</summary>
    public void LogEnabled() => AuthLog.Enabled(_log, Scheme, _options.Credentials.UserCount, _options.Credentials.KeyCount);

    public async ValueTask<bool> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = ClientAddress(context);
        if (_throttle.LockedUntil(address) is { } until)
        {
            RefuseTooMany(context, until);
            return false;
        }

        var presented = CredentialReader.Read(_options.Method, context.Request);
        if (presented.Kind == PresentedCredential.Kinds.Missing)
        {
            Challenge(context, credentialRejected: false);
            return false;
        }

        var (name, what) = await VerifyAsync(presented, cancellationToken);
        if (name is not null)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], Scheme));
            return true;
        }

        var outcome = _throttle.RecordFailure(address);
        if (outcome.Failures == 1)
        {
            AuthLog.Failed(_log, address, what, _options.Throttle.FailuresBeforeSlowing, _options.Throttle.FailuresBeforeRefusing);
        }

        if (outcome.LockedUntil is { } locked)
        {
            AuthLog.LockedOut(_log, address, (int)Math.Ceiling((locked - _options.TimeProvider.GetUtcNow()).TotalSeconds), outcome.Failures);
            RefuseTooMany(context, locked);
            return false;
        }

        if (outcome.Delay > TimeSpan.Zero)
        {
            await Task.Delay(outcome.Delay, _options.TimeProvider, cancellationToken);
        }

        Challenge(context, credentialRejected: true);
        return false;
    }

    /// <summary>The user or key name, or null and a description of the failure that reveals nothing secret.</summary>
    private async ValueTask<(string? Name, string What)> VerifyAsync(PresentedCredential presented, CancellationToken cancellationToken)
    {
        var credentials = _options.Credentials;
        switch (presented.Kind)
        {
            case PresentedCredential.Kinds.Password:
                if (await credentials.VerifyPasswordAsync(presented.User, presented.Secret, cancellationToken))
                {
                    return (presented.User, string.Empty);
                }

                // An unknown user name is not logged: it may be a password typed into the wrong field.
                return (null, credentials.HasUser(presented.User) ? $"wrong password for user '{presented.User}'" : "unknown user name");
            case PresentedCredential.Kinds.Key:
                return credentials.FindKey(presented.Secret) is { } key ? (key, string.Empty) : (null, "unknown or revoked key");
            default:
                return (null, "unreadable credentials");
        }
    }

    private void Challenge(HttpContext context, bool credentialRejected)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = CredentialReader.Challenge(_options.Method, _options.Realm, credentialRejected);
    }

    private void RefuseTooMany(HttpContext context, DateTimeOffset until)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((until - _options.TimeProvider.GetUtcNow()).TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
    }

    private static IPAddress ClientAddress(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
