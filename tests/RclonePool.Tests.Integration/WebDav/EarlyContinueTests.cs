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

        await connection.SendHeadAsync("PUT", "/small.txt", PutHeaders(body.Length));
        var interim = await connection.ReadHeadAsync();
        await connection.SendBytesAsync(body);
        var final = await connection.ReadResponseAsync("PUT");

        Assert.StartsWith("HTTP/1.1 100", interim, StringComparison.Ordinal);
        Assert.Equal(201, final.Status);
        Assert.Equal(body, await _server.Client.GetByteArrayAsync("small.txt", Ct));
    }

    [Fact]
    public async Task A_refused_small_put_answers_its_status_after_the_body_and_the_connection_serves_the_next_request()
    {
        using var connection = await ConnectAsync();
        var body = new byte[100];

        await connection.SendHeadAsync("PUT", "/missing/file.txt", PutHeaders(body.Length));
        var interim = await connection.ReadHeadAsync();
        await connection.SendBytesAsync(body);
        var refused = await connection.ReadResponseAsync("PUT");
        await connection.SendHeadAsync("PUT", "/next.txt", PutHeaders(3, expectContinue: false));
        await connection.SendBytesAsync("one"u8.ToArray());
        var next = await connection.ReadResponseAsync("PUT");

        Assert.StartsWith("HTTP/1.1 100", interim, StringComparison.Ordinal);
        Assert.Equal(409, refused.Status);
        Assert.Equal(201, next.Status);
        Assert.NotNull(await _server.Pool.StatAsync(PoolPath.Parse("/next.txt"), Ct));
        Assert.Null(await _server.Pool.StatAsync(PoolPath.Parse("/missing/file.txt"), Ct));
    }

    [Fact]
    public async Task A_large_body_refused_by_a_check_is_not_asked_for()
    {
        using var connection = await ConnectAsync();

        await connection.SendHeadAsync("PUT", "/missing/big.bin", PutHeaders(2 * 1024 * 1024));
        var answer = await connection.ReadHeadAsync();

        Assert.StartsWith("HTTP/1.1 409", answer, StringComparison.Ordinal);
    }

    private async Task<RawHttpConnection> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", _server.Url.Port, Ct);
        return new RawHttpConnection(socket);
    }

    private static string[] PutHeaders(long length, bool expectContinue = true) =>
        expectContinue ? [$"Content-Length: {length.ToString(CultureInfo.InvariantCulture)}", "Expect: 100-continue"] : [$"Content-Length: {length.ToString(CultureInfo.InvariantCulture)}"];
}
