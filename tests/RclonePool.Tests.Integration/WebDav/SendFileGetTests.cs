using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RclonePool.Core.Paths;
using RclonePool.Core.Pool;
using RclonePool.Server;
using RclonePool.Server.Tls;
using RclonePool.Server.Transport;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// GETs whose blocks come from local chunk files are sent with sendfile on plain HTTP/1.1 (docs/read-path.md, Serving
/// from the file): whole files and ranges return exactly the stored bytes with Kestrel's framing intact, several
/// responses follow one another on one kept-alive connection, HEAD sends no body, and a client that goes away
/// mid-body leaves no chunk file open; over HTTPS (HTTP/1.1 and HTTP/2) nothing is sent with sendfile and the bytes are
/// the same. The plain-HTTP tests speak HTTP/1.1 over a raw socket, so that every byte the server
/// sends is seen. Runs alone: it moves tens of MiB and counts the process's open files.
/// </summary>
[Collection(nameof(SendFileGetTests))]
[CollectionDefinition(nameof(SendFileGetTests), DisableParallelization = true)]
public sealed class SendFileGetTests : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private static readonly byte[] Content = LocalPool.RandomBytes((3 * 4 * MiB) + 12345, 33);
    private RealPool _pool = null!;
    private RunningServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _pool = await RealPool.OpenAsync(chunkSize: 4 * MiB, configure: c => c.ChunkCacheSizeMb = 64);
        await _pool.Pool.PutAsync(PoolPath.Parse("/film.bin"), new MemoryStream(Content), Content.Length, PutOptions.Default, Ct);
        _server = await PoolServer.StartAsync(_pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0 }, null, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _pool.DisposeAsync();
    }

    [Fact]
    public async Task Whole_gets_ranges_and_head_on_one_kept_alive_connection_return_exactly_the_stored_bytes_mostly_by_sendfile()
    {
        using var connection = await ConnectAsync();
        var before = SocketFileSender.BytesFromFiles;

        for (var i = 0; i < 2; i++)
        {
            var whole = await connection.SendAsync("GET", "/film.bin");
            Assert.Equal(200, whole.Status);
            Assert.True(whole.Body.AsSpan().SequenceEqual(Content), $"GET {i + 1}: the body differs from the stored file");
        }

        // Unaligned starts and ends, a range inside one block, one crossing chunks, an open-ended one, a suffix.
        (long From, long To)[] ranges = [(1, 9 * MiB), (100_000, 100_999), (4 * MiB - 3, 8 * MiB + 5), (5 * MiB + 17, Content.Length - 1), (Content.Length - 300_000, Content.Length - 1)];
        foreach (var (from, to) in ranges)
        {
            var part = await connection.SendAsync("GET", "/film.bin", $"Range: bytes={from}-{to}");
            Assert.Equal(206, part.Status);
            Assert.True(part.Body.AsSpan().SequenceEqual(Content.AsSpan((int)from, (int)(to - from + 1))), $"range {from}-{to} differs");
        }

        var head = await connection.SendAsync("HEAD", "/film.bin");
        Assert.Equal(200, head.Status);
        Assert.Empty(head.Body);
        Assert.Equal(Content.Length, head.ContentLength);

        var last = await connection.SendAsync("GET", "/film.bin");
        Assert.True(last.Body.AsSpan().SequenceEqual(Content), "the GET after the HEAD differs");

        // Three whole GETs and the long ranges: all but the first block of each response and the partial blocks at the
        // ends of the ranges left the server by sendfile.
        var fromFiles = SocketFileSender.BytesFromFiles - before;
        Assert.True(fromFiles >= 3L * (Content.Length - (2 * MiB)), $"only {fromFiles} bytes were sent with sendfile");
    }

    [Fact]
    public async Task A_client_that_goes_away_mid_body_leaves_no_chunk_file_open_and_the_server_serves_on()
    {
        var remotes = Path.Combine(_pool.Root, "remotes");
        for (var i = 0; i < 3; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 64 * 1024 };
            await socket.ConnectAsync("127.0.0.1", _server.Url.Port, Ct);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /film.bin HTTP/1.1\r\nHost: x\r\n\r\n"), Ct);
            var buffer = new byte[256 * 1024];
            var received = 0;
            while (received < 3 * MiB)
            {
                var read = await socket.ReceiveAsync(buffer, Ct);
                Assert.True(read > 0, "the server closed the connection early");
                received += read;
            }

            socket.LingerState = new LingerOption(true, 0); // a reset, as a client killed mid-download sends
            socket.Close();
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (OpenFilesUnder(remotes) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }

        Assert.Equal(0, OpenFilesUnder(remotes));
        using var connection = await ConnectAsync();
        var after = await connection.SendAsync("GET", "/film.bin");
        Assert.True(after.Body.AsSpan().SequenceEqual(Content), "the GET after the aborted ones differs");
    }

    [Fact]
    public async Task Over_https_nothing_is_sent_with_sendfile_and_http11_and_http2_return_exactly_the_stored_bytes()
    {
        var directory = Directory.CreateTempSubdirectory("sendfile-https-");
        try
        {
            var (certificate, key, _) = SelfSignedCertificate.Ensure(directory.FullName);
            using var trusted = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(certificate, Ct));
            await using var https = await PoolServer.StartAsync(
                _pool.Pool, new ServerOptions { Host = "127.0.0.1", Port = 0, Https = CertificateFiles.Open(certificate, key) }, null, Ct);
            using var handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, seen, _, _) => seen is not null && seen.GetCertHashString() == trusted.GetCertHashString() },
            };
            using var client = new HttpClient(handler) { BaseAddress = https.Url, Timeout = TimeSpan.FromMinutes(1) };
            var before = SocketFileSender.BytesFromFiles;

            foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
            {
                using var whole = new HttpRequestMessage(HttpMethod.Get, "film.bin") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
                using var wholeResponse = await client.SendAsync(whole, Ct);
                Assert.Equal(version, wholeResponse.Version);
                Assert.True((await wholeResponse.Content.ReadAsByteArrayAsync(Ct)).AsSpan().SequenceEqual(Content), $"HTTP/{version}: the body differs");

                using var part = new HttpRequestMessage(HttpMethod.Get, "film.bin") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
                part.Headers.Range = new RangeHeaderValue(3 * MiB + 5, 9 * MiB);
                using var partResponse = await client.SendAsync(part, Ct);
                Assert.Equal(HttpStatusCode.PartialContent, partResponse.StatusCode);
                Assert.True((await partResponse.Content.ReadAsByteArrayAsync(Ct)).AsSpan().SequenceEqual(Content.AsSpan((3 * MiB) + 5, (6 * MiB) - 4)), $"HTTP/{version}: the range differs");
            }

            Assert.Equal(before, SocketFileSender.BytesFromFiles);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>File descriptors of this process (the server runs in it) open on files under <paramref name="directory"/>.</summary>
    private static int OpenFilesUnder(string directory) =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget is { } target && target.StartsWith(directory, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false; // closed while listing
            }
        });

    private async Task<RawHttpConnection> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", _server.Url.Port, Ct);
        return new RawHttpConnection(socket);
    }
}
