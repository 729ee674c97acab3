using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace RclonePool.Server.Auth;

/// <summary>Reads the credential of one <see cref="AuthMethod"/> from a request, and writes that method's challenge.</summary>
internal static class CredentialReader
{
    public const string ApiKeyHeader = "X-API-Key";

    public static PresentedCredential Read(AuthMethod method, HttpRequest request) => method switch
    {
        AuthMethod.Basic => ReadBasic(request),
        AuthMethod.Bearer => ReadScheme(request, "Bearer") is { } token
            ? token.Length == 0 ? PresentedCredential.Malformed : new(PresentedCredential.Kinds.Key, string.Empty, token)
            : PresentedCredential.Missing,
        AuthMethod.ApiKey => request.Headers[ApiKeyHeader].ToString() is { Length: > 0 } key
            ? new(PresentedCredential.Kinds.Key, string.Empty, key.Trim())
            : PresentedCredential.Missing,
        _ => PresentedCredential.Missing,
    };

    /// <summary>The <c>WWW-Authenticate</c> value of a 401 (RFC 7617, RFC 6750; for API keys a scheme naming the header).</summary>
    public static string Challenge(AuthMethod method, string realm, bool credentialRejected) => method switch
    {
        AuthMethod.Basic => $"Basic realm=\"{realm}\", charset=\"UTF-8\"",
        AuthMethod.Bearer => credentialRejected ? $"Bearer realm=\"{realm}\", error=\"invalid_token\"" : $"Bearer realm=\"{realm}\"",
        _ => $"ApiKey realm=\"{realm}\", header=\"{ApiKeyHeader}\"",
    };

    private static PresentedCredential ReadBasic(HttpRequest request)
    {
        if (ReadScheme(request, "Basic") is not { } encoded)
        {
            return PresentedCredential.Missing;
        }

        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(encoded));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return PresentedCredential.Malformed;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 ? PresentedCredential.Malformed : new(PresentedCredential.Kinds.Password, decoded[..colon], decoded[(colon + 1)..]);
    }

    /// <summary>The parameter of <c>Authorization: SCHEME value</c>, or null when the header is absent or of another scheme.</summary>
    private static string? ReadScheme(HttpRequest request, string scheme)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        if (header.Length <= scheme.Length || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) || header[scheme.Length] != ' ')
        {
            return null;
        }

        return header[(scheme.Length + 1)..].Trim();
    }
}
