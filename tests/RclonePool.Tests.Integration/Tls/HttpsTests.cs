using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using RclonePool.Core.Errors;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Server.Tls;
using RclonePool.Tests.Integration.Auth;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Tls;

/// <summary>HTTPS on real Kestrel: the generated certificate, TLS 1.2 and 1.3, HTTP/1.1 and HTTP/2, replacement on disk, and bad files.</summary>
public sealed class HttpsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("https-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_self_signed_certificate_is_made_once_private_and_reused()
    {
        var first = SelfSignedCertificate.Ensure(_dir.FullName);
        var second = SelfSignedCertificate.Ensure(_dir.FullName);
        using var certificate = X509Certificate2.CreateFromPemFile(first.Certificate, first.Key);

        Assert.True(first.Generated);
        Assert.False(second.Generated);
        Assert.Equal(first.Certificate, second.Certificate);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.Key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.Certificate));
        using var key = certificate.GetECDsaPublicKey();
        Assert.Equal(256, key!.KeySize);
        Assert.Equal("1.2.840.10045.3.1.7", key.ExportParameters(false).Curve.Oid.Value);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.Contains(Dns.GetHostName(), names.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, names.EnumerateIPAddresses());
    }

    [Fact]
    public async Task Https_serves_http11_and_http2_over_tls12_and_tls13_with_authentication()
    {
        var (cert, key, _) = SelfSignedCertificate.Ensure(_dir.FullName);
        var files = CertificateFiles.Open(cert, key);
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Basic, Credentials = AuthFixtures.Store() }, LoggerFactory.Create(_ => { }));
        await using var server = await ServerUnderTest.StartAsync(new ServerOptions { Https = files, Authenticator = authenticator });
        Assert.Equal("https", server.Url.Scheme);
        var fingerprint = files.Current.Fingerprint;

        foreach (var protocols in new[] { SslProtocols.Tls12, SslProtocols.Tls13 })
        {
            foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
            {
                using var client = new TlsClient(server.Url, fingerprint, protocols);
                using var refused = await client.PropFindAsync(version);
                using var response = await client.PropFindAsync(version, AuthFixtures.Basic(AuthFixtures.User, AuthFixtures.Password));
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
                Assert.Equal(version, response.Version);
            }
        }

        using var other = new TlsClient(server.Url, "00:11");
        await Assert.ThrowsAsync<HttpRequestException>(() => other.PropFindAsync(HttpVersion.Version11));
    }

    [Fact]
    public async Task Certificate_files_replaced_on_disk_are_served_to_new_connections_without_a_restart()
    {
        var (cert, key, _) = SelfSignedCertificate.Ensure(_dir.FullName);
        var files = CertificateFiles.Open(cert, key);
        await using var server = await ServerUnderTest.StartAsync(new ServerOptions { Https = files });
        var before = files.Current.Fingerprint;
        using (var client = new TlsClient(server.Url, before))
        using (var response = await client.PropFindAsync(HttpVersion.Version11))
        {
            Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        }

        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var renewed = SelfSignedCertificate.Create(newKey, DateTimeOffset.UtcNow);
        await File.WriteAllTextAsync(key, newKey.ExportPkcs8PrivateKeyPem(), Ct);
        await File.WriteAllTextAsync(cert, renewed.ExportCertificatePem(), Ct);
        var after = ServerCertificate.FormatFingerprint(renewed);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        string? seen = null;
        while (seen != after && DateTime.UtcNow < deadline)
        {
            using var client = new TlsClient(server.Url, after);
            try
            {
                using var response = await client.PropFindAsync(HttpVersion.Version11);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100, Ct); // still the old certificate: the files are looked at once a second
            }

            seen = client.SeenFingerprint;
        }

        Assert.NotEqual(before, after);
        Assert.Equal(after, seen);
    }

    [Fact]
    public void Bad_certificate_files_are_refused_at_start_naming_the_file()
    {
        var (cert, key, _) = SelfSignedCertificate.Ensure(_dir.FullName);
        var other = SelfSignedCertificate.Ensure(Path.Combine(_dir.FullName, "other"));
        var expired = Path.Combine(_dir.FullName, "expired.pem");
        using (var expiredKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=old", expiredKey, HashAlgorithmName.SHA256);
            using var old = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
            File.WriteAllText(expired, old.ExportCertificatePem());
            File.WriteAllText(expired + ".key", expiredKey.ExportPkcs8PrivateKeyPem());
        }

        var notPem = Path.Combine(_dir.FullName, "not.pem");
        File.WriteAllText(notPem, "hello");
        var missing = Path.Combine(_dir.FullName, "missing.pem");

        Assert.Contains($"'{missing}' does not exist", Refused(missing, key), StringComparison.Ordinal);
        Assert.Contains($"'{missing}' does not exist", Refused(cert, missing), StringComparison.Ordinal);
        Assert.Contains($"The key in '{other.Key}' does not belong to the certificate in '{cert}'", Refused(cert, other.Key), StringComparison.Ordinal);
        Assert.Contains($"'{expired}' expired on", Refused(expired, expired + ".key"), StringComparison.Ordinal);
        Assert.Contains($"'{notPem}' holds no PEM certificate", Refused(notPem, key), StringComparison.Ordinal);
        Assert.Contains($"'{notPem}' holds no usable unencrypted PEM private key", Refused(cert, notPem), StringComparison.Ordinal);
    }

    private static string Refused(string cert, string key)
    {
        var e = Assert.Throws<PoolException>(() => CertificateFiles.Open(cert, key));
        Assert.Equal(PoolErrorKind.BadInput, e.Kind);
        return e.Message;
    }
}
