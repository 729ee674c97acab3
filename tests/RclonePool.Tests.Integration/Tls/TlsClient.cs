using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using RclonePool.Server.Tls;

namespace RclonePool.Tests.Integration.Tls;

/// <summary>An HTTPS client that trusts exactly one certificate fingerprint (as a client pinning the printed one would) and records what it saw.</summary>
internal sealed class TlsClient : IDisposable
{
    private readonly HttpClient _client;

    public TlsClient(Uri baseAddress, string pinnedFingerprint, SslProtocols protocols = SslProtocols.None)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    var seen = ServerCertificate.FormatFingerprint(new X509Certificate2(certificate!));
                    SeenFingerprint = seen;
                    return string.Equals(seen, pinnedFingerprint, StringComparison.Ordinal);
                },
            },
        };
        _client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string? SeenFingerprint { get; private set; }

    public async Task<HttpResponseMessage> PropFindAsync(Version version, string? authorization = null)
    {
        var request = new HttpRequestMessage(new HttpMethod("PROPFIND"), "/") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.TryAddWithoutValidation("Depth", "0");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await _client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public void Dispose() => _client.Dispose();
}
