using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace RclonePool.Tests.Integration.Live;

/// <summary>A real WebSocket client of the event feed (System.Net.WebSockets.ClientWebSocket), with JSON helpers.</summary>
internal sealed class FeedClient : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker? _invoker;

    private FeedClient(ClientWebSocket socket, HttpMessageInvoker? invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    public WebSocket Socket => _socket;

    /// <summary>ws://host:port/_rclonepool/ws of a server whose WebDAV root is <paramref name="server"/>.</summary>
    public static Uri FeedUri(Uri server) => new UriBuilder(server) { Scheme = "ws", Path = "/_rclonepool/ws" }.Uri;

    /// <param name="receiveBuffer">A small socket receive buffer (a client that falls behind fills it quickly); null for the default.</param>
    public static async Task<FeedClient> ConnectAsync(Uri server, string? authorization = null, int? receiveBuffer = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (authorization is not null)
        {
            socket.Options.SetRequestHeader("Authorization", authorization);
        }

        HttpMessageInvoker? invoker = null;
        if (receiveBuffer is { } size)
        {
            invoker = new HttpMessageInvoker(new SocketsHttpHandler
            {
                ConnectCallback = async (context, token) =>
                {
                    var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = size };
                    await s.ConnectAsync(context.DnsEndPoint, token);
                    return new NetworkStream(s, ownsSocket: true);
                },
            });
        }

        try
        {
            await socket.ConnectAsync(FeedUri(server), invoker, Ct);
        }
        catch
        {
            socket.Dispose();
            invoker?.Dispose();
            throw;
        }

        return new FeedClient(socket, invoker);
    }

    public Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, Ct);

    public Task SubscribeAsync(string topic) => SendTextAsync($$"""{"action":"subscribe","topic":"{{topic}}"}""");

    public Task UnsubscribeAsync(string topic) => SendTextAsync($$"""{"action":"unsubscribe","topic":"{{topic}}"}""");

    /// <summary>The next message, or null when the server closed the connection; fails after <paramref name="timeout"/>.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer.AsMemory(), cts.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

        if (result.MessageType == WebSocketMessageType.Close)
        {
            return null;
        }

        using var json = JsonDocument.Parse(message.ToArray());
        return json.RootElement.Clone();
    }

    /// <summary>Reads messages until one matches; returns it with every message read before it.</summary>
    public async Task<(JsonElement Match, List<JsonElement> Before)> WaitForAsync(Func<JsonElement, bool> match, string what, TimeSpan? timeout = null)
    {
        var before = new List<JsonElement>();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                Assert.Fail($"No {what} arrived; got: {string.Join("\n", before.Select(b => b.GetRawText()))}");
            }

            var message = await ReceiveAsync(left);
            if (message is null)
            {
                Assert.Fail($"The server closed the connection ({_socket.CloseStatus} {_socket.CloseStatusDescription}) before {what}.");
            }

            if (match(message.Value))
            {
                return (message.Value, before);
            }

            before.Add(message.Value);
        }
    }

    public static bool Is(JsonElement message, string type, string? topic = null) =>
        message.GetProperty("type").GetString() == type && (topic is null || message.GetProperty("topic").GetString() == topic);

    public static bool IsFileEvent(JsonElement message, string hook, string path) =>
        Is(message, "event", "files") && message.GetProperty("data").GetProperty("event").GetString() == hook && message.GetProperty("data").GetProperty("path").GetString() == path;

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
        _invoker?.Dispose();
    }
}
