using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RclonePool.Server.Tls;

/// <summary>A loaded certificate with its private key and chain, ready for TLS handshakes.</summary>
public sealed class ServerCertificate
{
    private ServerCertificate(X509Certificate2 leaf, X509Certificate2Collection chain)
    {
        Leaf = leaf;
        Context = SslStreamCertificateContext.Create(leaf, chain, offline: true);
        Fingerprint = FormatFingerprint(leaf);
    }

    public X509Certificate2 Leaf { get; }

    /// <summary>The SHA-256 fingerprint as colon-separated hex pairs, as browsers and <c>openssl x509 -fingerprint -sha256</c> show it.</summary>
    public string Fingerprint { get; }

    internal SslStreamCertificateContext Context { get; }

    /// <summary>
    /// Reads a PEM certificate (its chain may follow it) and its unencrypted PEM private key (RSA or ECDSA), checking
    /// that they belong together and that the certificate is valid at <paramref name="now"/>. Each failure names the file.
    /// </summary>
    public static ServerCertificate Load(string certificatePath, string keyPath, DateTimeOffset now)
    {
        var certificatePem = Read("certificate", certificatePath);
        var keyPem = Read("key", keyPath);
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            throw TlsErrors.NoCertificate(certificatePath);
        }

        if (chain.Count == 0)
        {
            throw TlsErrors.NoCertificate(certificatePath);
        }

        var certificate = chain[0];
        chain.RemoveAt(0);
        if (now.UtcDateTime > certificate.NotAfter.ToUniversalTime())
        {
            throw TlsErrors.Expired(certificatePath, certificate.NotAfter.ToUniversalTime());
        }

        if (now.UtcDateTime < certificate.NotBefore.ToUniversalTime())
        {
            throw TlsErrors.NotYetValid(certificatePath, certificate.NotBefore.ToUniversalTime());
        }

        return new ServerCertificate(WithKey(certificate, keyPem, certificatePath, keyPath), chain);
    }

    internal static string FormatFingerprint(X509Certificate2 certificate) =>
        Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)).Chunk(2).Select(pair => new string(pair)).Aggregate((a, b) => a + ":" + b);

    private static X509Certificate2 WithKey(X509Certificate2 certificate, string keyPem, string certificatePath, string keyPath)
    {
        try
        {
            if (certificate.GetECDsaPublicKey() is { } ecPublic)
            {
                ecPublic.Dispose();
                using var ec = ECDsa.Create();
                ec.ImportFromPem(keyPem);
                return certificate.CopyWithPrivateKey(ec);
            }

            if (certificate.GetRSAPublicKey() is { } rsaPublic)
            {
                rsaPublic.Dispose();
                using var rsa = RSA.Create();
                rsa.ImportFromPem(keyPem);
                return certificate.CopyWithPrivateKey(rsa);
            }
        }
        catch (ArgumentException e) when (e.Message.Contains("match", StringComparison.OrdinalIgnoreCase) || e.ParamName == "privateKey")
        {
            throw TlsErrors.Mismatch(certificatePath, keyPath);
        }
        catch (ArgumentException e)
        {
            throw TlsErrors.NoKey(keyPath, e.Message.TrimEnd('.'));
        }
        catch (CryptographicException e)
        {
            throw TlsErrors.NoKey(keyPath, e.Message.TrimEnd('.'));
        }

        throw TlsErrors.UnsupportedKey(certificatePath);
    }

    private static string Read(string role, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw TlsErrors.Missing(role, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw TlsErrors.Unreadable(role, path, e);
        }
    }
}
