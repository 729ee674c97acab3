using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace RclonePool.Server.Auth;

/// <summary>
/// Password hashes as stored in <c>webdav_users</c>: <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (salt and hash in
/// base64), PBKDF2 with HMAC-SHA-256 from the BCL, a 16-byte random salt, a 32-byte hash and
/// <see cref="Iterations"/> iterations (OWASP's figure for PBKDF2-HMAC-SHA256). Verification compares in constant time.
/// </summary>
public static class PasswordHash
{
    /// <summary>Iterations of new hashes; a stored hash with fewer is refused at start.</summary>
    public const int Iterations = 600_000;

    private const string Prefix = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A new hash of <paramref name="password"/> with a fresh salt (costs one PBKDF2 run, about a third of a second).</summary>
    public static string Create(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, Iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when <paramref name="encoded"/> has the form <see cref="Create"/> writes, with at least <see cref="Iterations"/> iterations.</summary>
    public static bool IsWellFormed(string encoded) => TryParse(encoded, out _, out _, out _);

    /// <summary>True when <paramref name="password"/> is the one <paramref name="encoded"/> was made from; false for a malformed hash too.</summary>
    public static bool Verify(string password, string encoded)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(encoded, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Derive(password, salt, iterations);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);

    private static bool TryParse(string encoded, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = [];
        hash = [];
        var parts = (encoded ?? string.Empty).Split('$');
        if (parts.Length != 4 || parts[0] != Prefix
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < Iterations)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= SaltBytes && hash.Length == HashBytes;
    }
}
