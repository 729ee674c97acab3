using System.Globalization;
using System.Net.Sockets;
using System.Text;
using RclonePool.Core.Paths;
using RclonePool.Tests.Integration.Support;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// A PUT of a small body whose client waits for "100 Continue" is told to send it before the request's checks run
/// (EarlyContinue): the body is stored as sent, a PUT refused by a check still answers its own status after the interim
/// one and leaves the connection usable for the next request, and a large body is not asked for before the checks.
/// Spoken over a raw socket, so that the interim response is seen.
/// </summary>
public sealed class EarlyContinueTests : IAsyncLifetime
{
    private ServerUnderTest _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await ServerUnderTest.StartAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task A_small_body_is_asked_for_at_once_and_stored_as_sent()
    {
        using var connection = await ConnectAsync();
        var body = Encoding.ASCII.GetBytes("a small file\n");

        await connection.SendHeadAsync("PUT", "/small.txt", body.Length);
        var interim = await connection.ReadHeadAsync();
        await connection.SendAsync(body);
        var final = await connection.ReadHeadAsync();

        Assert.StartsWith("HTTP/1.1 100", interim, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 201", final, StringComparison.Ordinal);
        Assert.Equal(body, await _server.Client.GetByteArrayAsync("small.txt", Ct));
    }

    [Fact]
    public async Task A_refused_small_put_answers_its_status_after_the_body_and_the_connection_serves_the_next_request()
    {
        using var connection = await ConnectAsync();
        var body = new byte[100];

        await connection.SendHeadAsync("PUT", "/missing/file.txt", body.Length);
        var interim = await connection.ReadHeadAsync();
        await connection.SendAsync(body);
        var refused = await connection.ReadResponseAsync();
        await connection.SendHeadAsync("PUT", "/next.txt", 3, expectContinue: false);
        await connection.SendAsync("one"u8.ToArray());
        var next = await connection.ReadResponseAsync();

        Assert.StartsWith("HTTP/1.1 100", interim, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 409", refused, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 201", next, StringComparison.Ordinal);
        Assert.NotNull(await _server.Pool.StatAsync(PoolPath.Parse("/next.txt"), Ct));
        Assert.Null(await _server.Pool.StatAsync(PoolPath.Parse("/missing/file.txt"), Ct));
    }

    [Fact]
    public async Task A_large_body_refused_by_a_check_is_not_asked_for()
    {
        using var connection = await ConnectAsync();

        await connection.SendHeadAsync("PUT", "/missing/big.bin", 2 * 1024 * 1024);
        var answer = await connection.ReadHeadAsync();

        Assert.StartsWith("HTTP/1.1 409", answer, StringComparison.Ordinal);
    }

    private async Task<Connection> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", _server.Url.Port, Ct);
        return new Connection(socket);
    }

    /// <summary>One HTTP/1.1 connection: heads sent and read as text, bodies as bytes.</summary>
    private sealed class Connection(Socket socket) : IDisposable
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task SendHeadAsync(string method, string path, long length, bool expectContinue = true)
        {
            var head = $"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length.ToString(CultureInfo.InvariantCulture)}\r\n"
                + (expectContinue ? "Expect: 100-continue\r\n" : "") + "\r\n";
            await SendAsync(Encoding.ASCII.GetBytes(head));
        }

        public async Task SendAsync(byte[] bytes) => await socket.SendAsync(bytes, Ct);

        /// <summary>Reads one response head (status line and headers), not its body.</summary>
        public async Task<string> ReadHeadAsync()
        {
            while (true)
            {
                var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
                if (end >= 0)
                {
                    var head = Encoding.ASCII.GetString(_buffer, _start, end);
                    _start += end + 4;
                    return head;
                }

                if (_start > 0)
                {
                    _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                    (_start, _end) = (0, _end - _start);
                }

                var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), Ct);
                if (read == 0)
                {
                    throw new EndOfStreamException("the connection closed before a response");
                }

                _end += read;
            }
        }

        /// <summary>Reads one whole response (its body skipped by its Content-Length); returns the head.</summary>
        public async Task<string> ReadResponseAsync()
        {
            var head = await ReadHeadAsync();
            var line = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var length = line is null ? 0 : int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            while (_end - _start < length)
            {
                var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), Ct);
                if (read == 0)
                {
                    throw new EndOfStreamException("the connection closed inside a response body");
                }

                _end += read;
            }

            _start += length;
            return head;
        }

        public void Dispose() => socket.Dispose();
    }
}
