using System.Net;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.Tls;

/// <summary><c>serve --https</c> through the real CLI: a certificate generated once beside the config, its fingerprint printed, and reused.</summary>
public sealed class CliHttpsTests
{
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Serve_https_generates_a_certificate_once_prints_its_fingerprint_and_reuses_it()
    {
        await using var pool = await LocalPool.CreateAsync();
        var first = await ServeOnceAsync(pool);
        var second = await ServeOnceAsync(pool);

        Assert.Equal(first.Printed, first.Served);
        Assert.Equal(first.Printed, second.Printed);
        Assert.Equal(second.Printed, second.Served);
        Assert.Contains(first.Lines, l => l.StartsWith("serve: generated a self-signed certificate", StringComparison.Ordinal));
        Assert.DoesNotContain(second.Lines, l => l.StartsWith("serve: generated", StringComparison.Ordinal));
        var key = Path.Combine(pool.Root, "https-key.pem");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
    }

    private static async Task<(string Printed, string? Served, IReadOnlyList<string> Lines)> ServeOnceAsync(LocalPool pool)
    {
        await using var serve = CliProcess.Start(["--config", pool.ConfigPath, "serve", "--https", "--port", "0"], new Dictionary<string, string>());
        var url = new Uri((await serve.WaitForLineAsync(l => l.StartsWith("serve: WebDAV on https://", StringComparison.Ordinal), TimeSpan.FromSeconds(60)))["serve: WebDAV on ".Length..].Split(' ')[0]);
        var line = await serve.WaitForLineAsync(l => l.StartsWith("serve: HTTPS certificate ", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var printed = line[(line.IndexOf("fingerprint ", StringComparison.Ordinal) + "fingerprint ".Length)..].Trim();
        using var client = new TlsClient(url, printed);
        using var response = await client.PropFindAsync(HttpVersion.Version20);
        Assert.Equal(HttpStatusCode.MultiStatus, response.StatusCode);
        var (exit, stderr) = await serve.SignalAndWaitAsync(2, TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, stderr);
        return (printed, client.SeenFingerprint, serve.Lines);
    }
}
