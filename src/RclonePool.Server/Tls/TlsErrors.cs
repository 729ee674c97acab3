using RclonePool.Core.Errors;

namespace RclonePool.Server.Tls;

/// <summary>Why a certificate or key cannot be served, each naming the file and what to do.</summary>
internal static class TlsErrors
{
    public static PoolException Missing(string role, string path) => new(PoolErrorKind.BadInput,
        $"The {role} file '{path}' does not exist; point {Key(role)} at a PEM file, or unset ssl_cert_file and ssl_key_file to use a generated self-signed certificate.");

    public static PoolException Unreadable(string role, string path, Exception e) => new(PoolErrorKind.Environment,
        $"The {role} file '{path}' cannot be read ({e.Message}); let the user running rclonepool read it (for example chmod 600 and chown).", e);

    public static PoolException NoCertificate(string path) => new(PoolErrorKind.BadInput,
        $"The certificate file '{path}' holds no PEM certificate (-----BEGIN CERTIFICATE-----); give ssl_cert_file a PEM certificate, with its chain after it if any.");

    public static PoolException NoKey(string path, string detail) => new(PoolErrorKind.BadInput,
        $"The key file '{path}' holds no usable unencrypted PEM private key ({detail}); give ssl_key_file the key of the certificate, unencrypted (openssl pkey -in KEY -out KEY.plain).");

    public static PoolException Mismatch(string certificate, string key) => new(PoolErrorKind.BadInput,
        $"The key in '{key}' does not belong to the certificate in '{certificate}'; give ssl_key_file the private key the certificate was issued for.");

    public static PoolException UnsupportedKey(string certificate) => new(PoolErrorKind.BadInput,
        $"The certificate in '{certificate}' has neither an RSA nor an ECDSA key; use an RSA or ECDSA certificate.");

    public static PoolException Expired(string certificate, DateTime notAfter) => new(PoolErrorKind.BadInput,
        $"The certificate in '{certificate}' expired on {notAfter:yyyy-MM-dd HH:mm} UTC; renew it (or unset ssl_cert_file and ssl_key_file to use a generated self-signed certificate).");

    public static PoolException NotYetValid(string certificate, DateTime notBefore) => new(PoolErrorKind.BadInput,
        $"The certificate in '{certificate}' is not valid before {notBefore:yyyy-MM-dd HH:mm} UTC; check the clock of this machine or the certificate.");

    private static string Key(string role) => role == "certificate" ? "ssl_cert_file" : "ssl_key_file";
}
