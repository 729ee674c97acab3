using Microsoft.AspNetCore.Http;

namespace RclonePool.Server.Auth;

/// <summary>
/// The authentication seam: runs before every request. Implementations (basic, api_key, bearer) decide from the
/// request alone; on refusal they set the status and challenge headers themselves (usually 401 with
/// <c>WWW-Authenticate</c>) and return false, and the request goes no further.
/// </summary>
public interface IRequestAuthenticator
{
    /// <summary>A short name for start-up logs, such as <c>basic</c>.</summary>
    string Scheme { get; }

    ValueTask<bool> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken);
}
