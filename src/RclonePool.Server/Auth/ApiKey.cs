using System.Security.Cryptography;
using System.Text;

namespace RclonePool.Server.Auth;

/// <summary>
/// API keys and bearer tokens (<c>rclonepool key create</c>): <c>rcp_</c> and 32 random bytes in base64url, stored as
/// <c>sha256$HASH</c> in <c>webdav_api_keys</c>. A key carries 256 bits of randomness, so one SHA-256 suffices where a
/// password needs PBKDF2: guessing stays out of reach, and checking a key costs microseconds on every request.
/// </summary>
public static class ApiKey
{
    private const string KeyPrefix = "rcp_";
    private const string HashPrefix = "sha256$";

    /// <summary>A new random key, shown to the user once.</summary>
    public static string Generate() => KeyPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>What is stored for <paramref name="key"/>.</summary>
    public static string Hash(string key) => HashPrefix + Convert.ToBase64String(Digest(key));

    public static bool IsWellFormedHash(string stored) => TryParseHash(stored, out _);

    /// <summary>The SHA-256 of <paramref name="key"/>, to compare with <see cref="TryParseHash"/>'s result.</summary>
    public static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static bool TryParseHash(string stored, out byte[] digest)
    {
        digest = [];
        if (stored is null || !stored.StartsWith(HashPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            digest = Convert.FromBase64String(stored[HashPrefix.Length..]);
        }
        catch (FormatException)
        {
            return false;
        }

        return digest.Length == 32;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
