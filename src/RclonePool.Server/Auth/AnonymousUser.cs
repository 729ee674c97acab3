using System.Security.Claims;

namespace RclonePool.Server.Auth;

/// <summary>The caller of a server without authentication: every request is made by "anonymous".</summary>
public static class AnonymousUser
{
    public const string Name = "anonymous";

    public static ClaimsPrincipal Principal() => new(new ClaimsIdentity([new Claim(ClaimTypes.Name, Name)], authenticationType: null));
}
