using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RclonePool.Core.Errors;

namespace RclonePool.Server.Tls;

/// <summary>
/// The certificate <c>enable_https</c> uses when no files are configured: ECDSA P-256, self-signed, for localhost,
/// 127.0.0.1, ::1 and this machine's host name, valid for two years; written once beside the config file
/// (<see cref="CertificateFileName"/> and <see cref="KeyFileName"/>, mode 0600) and reused on every start until it
/// expires (then a new one is made).
/// </summary>
public static class SelfSignedCertificate
{
    public const string CertificateFileName = "https-cert.pem";
    public const string KeyFileName = "https-key.pem";

    private static readonly TimeSpan Validity = TimeSpan.FromDays(730);

    /// <summary>The paths of the certificate and key in <paramref name="directory"/>, generated there first when missing or expired.</summary>
    /// <returns>The two paths and whether they were generated now.</returns>
    public static (string Certificate, string Key, bool Generated) Ensure(string directory, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var certificatePath = Path.Combine(directory, CertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        if (File.Exists(certificatePath) && File.Exists(keyPath) && IsUsable(certificatePath, keyPath, time.GetUtcNow()))
        {
            return (certificatePath, keyPath, false);
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = Create(key, time.GetUtcNow());
        try
        {
            Directory.CreateDirectory(directory);
            WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem());
            WritePrivate(certificatePath, certificate.ExportCertificatePem());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PoolException(PoolErrorKind.Environment,
                $"The self-signed HTTPS certificate cannot be written to '{directory}' ({e.Message}); make the config directory writable, or set ssl_cert_file and ssl_key_file.", e);
        }

        return (certificatePath, keyPath, true);
    }

    internal static X509Certificate2 Create(ECDsa key, DateTimeOffset now)
    {
        var request = new CertificateRequest("CN=rclonepool self-signed", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        var host = Dns.GetHostName();
        if (!string.IsNullOrWhiteSpace(host) && !string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(now.AddMinutes(-5), now + Validity);
    }

    private static bool IsUsable(string certificatePath, string keyPath, DateTimeOffset now)
    {
        try
        {
            // Renewed a day before it expires, so that a long-running server does not serve an expired one tomorrow.
            ServerCertificate.Load(certificatePath, keyPath, now.AddDays(1));
            return true;
        }
        catch (PoolException)
        {
            return false;
        }
    }

    private static void WritePrivate(string path, string pem)
    {
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(pem);
            writer.Write('\n');
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temp, path, overwrite: true);
    }
}
