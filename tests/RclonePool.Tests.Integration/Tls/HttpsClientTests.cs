using Microsoft.Extensions.Logging;
using RclonePool.Server;
using RclonePool.Server.Auth;
using RclonePool.Server.Tls;
using RclonePool.Tests.Integration.Auth;
using RclonePool.Tests.Integration.Support;
using RclonePool.Tests.Integration.WebDav;

namespace RclonePool.Tests.Integration.Tls;

/// <summary>
/// curl, rclone and litmus over HTTPS with basic authentication against the real pool, each trusting the generated
/// certificate explicitly (curl --cacert, rclone --ca-cert; litmus's neon reads only the system CA bundle, so litmus
/// runs in a private mount namespace where that bundle is the generated certificate).
/// </summary>
public sealed class HttpsClientTests : IAsyncLifetime
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("https-clients-");
    private RealPool _pool = null!;
    private RunningServer _server = null!;
    private string _certificate = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Url => _server.Url.ToString();

    public async ValueTask InitializeAsync()
    {
        var (cert, key, _) = SelfSignedCertificate.Ensure(_dir.FullName);
        _certificate = cert;
        _pool = await RealPool.OpenAsync();
        var authenticator = new CredentialAuthenticator(new AuthOptions { Method = AuthMethod.Basic, Credentials = AuthFixtures.Store() }, LoggerFactory.Create(_ => { }));
        _server = await PoolServer.StartAsync(
            _pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0, Authenticator = authenticator, Https = CertificateFiles.Open(cert, key) }, null, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _pool.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Curl_speaks_http2_over_tls_with_the_certificate_trusted_and_fails_without_it()
    {
        var curl = Tools.Require("curl");
        string[] propfind = ["-sS", "-u", $"{AuthFixtures.User}:{AuthFixtures.Password}", "-X", "PROPFIND", "-H", "Depth: 0", "-o", "/dev/null", "-w", "%{http_code} HTTP/%{http_version}"];

        var h2 = await Tools.RunAsync(curl, ["--cacert", _certificate, "--http2", .. propfind, Url]);
        var h11 = await Tools.RunAsync(curl, ["--cacert", _certificate, "--http1.1", "--tlsv1.2", "--tls-max", "1.2", .. propfind, Url]);
        var untrusted = await Tools.RunAsync(curl, [.. propfind, Url]);
        var oldTls = await Tools.RunAsync(curl, ["--cacert", _certificate, "--tlsv1", "--tls-max", "1.1", .. propfind, Url]);
        var noPassword = await Tools.RunAsync(curl, ["--cacert", _certificate, "-sS", "-X", "PROPFIND", "-o", "/dev/null", "-w", "%{http_code}", Url]);

        Assert.True(h2.Stdout == "207 HTTP/2", $"curl --http2: {h2.Stdout} {h2.Stderr}");
        Assert.True(h11.Stdout == "207 HTTP/1.1", $"curl --http1.1 --tls-max 1.2: {h11.Stdout} {h11.Stderr}");
        Assert.Equal(60, untrusted.ExitCode); // CURLE_PEER_FAILED_VERIFICATION
        Assert.NotEqual(0, oldTls.ExitCode);
        Assert.Equal("401", noPassword.Stdout);
    }

    [Fact]
    public async Task Rclone_copies_over_https_trusting_the_generated_certificate()
    {
        var rclone = Tools.Require("rclone");
        var config = Path.Combine(_dir.FullName, "rclone.conf");
        await File.WriteAllTextAsync(config, string.Empty, Ct);
        var source = Path.Combine(_dir.FullName, "src");
        Directory.CreateDirectory(source);
        var bytes = new byte[(3 << 20) + 5];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(source, "f.bin"), bytes, Ct);
        var obscured = (await Tools.RunAsync(rclone, ["obscure", AuthFixtures.Password])).Stdout.Trim();
        var remote = $":webdav,url='{Url}',vendor=other,user={AuthFixtures.User},pass={obscured}:";
        string[] common = ["--config", config, "--ca-cert", _certificate, "--low-level-retries", "1", "--retries", "1"];

        var copy = await Tools.RunAsync(rclone, [.. common, "copy", source, remote + "in"]);
        var back = await Tools.RunForBytesAsync(rclone, [.. common, "cat", remote + "in/f.bin"]);
        var untrusted = await Tools.RunAsync(rclone, ["--config", config, "--low-level-retries", "1", "--retries", "1", "lsf", remote]);

        Assert.True(copy.ExitCode == 0, copy.Stderr);
        Assert.True(back.ExitCode == 0, back.Stderr);
        Assert.Equal(bytes, back.Stdout);
        Assert.NotEqual(0, untrusted.ExitCode);
        Assert.Contains("certificate", untrusted.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("locks")]
    public async Task Litmus_passes_over_https_with_credentials(string group)
    {
        var litmus = Tools.Require("litmus");
        var probe = await Tools.RunAsync("/usr/bin/unshare", ["-m", "true"]);
        if (probe.ExitCode != 0)
        {
            Assert.Skip($"litmus over HTTPS needs a private mount namespace (unshare -m) to show neon the generated certificate as its CA bundle, and this machine refuses it: {probe.Stderr.Trim()}");
        }

        var work = Directory.CreateTempSubdirectory("litmus-https-" + group + "-");
        try
        {
            const string Script = "mount --bind \"$1\" /etc/ssl/certs/ca-certificates.crt && shift && exec \"$@\"";
            var (exit, stdout, stderr) = await Tools.RunAsync(
                "/usr/bin/unshare", ["-m", "sh", "-c", Script, "sh", _certificate, litmus, "-k", Url, AuthFixtures.User, AuthFixtures.Password], work.FullName,
                new Dictionary<string, string> { ["TESTS"] = group }, TimeSpan.FromSeconds(90));
            var run = LitmusRun.Parse(group, exit, stdout + stderr);
            var notPassed = run.Cases.Where(c => c.Outcome != "pass").Select(c => $"{c.Number}. {c.Name}: {c.Detail}").ToList();
            Assert.True(run.Cases.Count > 3 && notPassed.Count == 0 && exit == 0, $"litmus {group} over HTTPS:\n{run.Output}");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
