using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RclonePool.Server.Live.Payloads;

namespace RclonePool.Server.Live;

/// <summary>
/// One WebSocket client: a receive loop that handles subscribe / unsubscribe (a malformed message or an unknown topic
/// gets an <c>error</c> message, never a dropped connection) and a send loop that drains the client's
/// <see cref="ClientOutbox"/>. The pool only ever adds to the outbox; when it overflows, the client is closed with 1008
/// and a reason, and dropped if it does not take the close frame within <see cref="LiveOptions.CloseTimeout"/>.
/// </summary>
internal sealed class LiveConnection(long id, WebSocket socket, LiveOptions options, TimeProvider time, ILogger logger, Action? fellBehind = null) : IDisposable
{
    private readonly CancellationTokenSource _sending = new();
    private int _topics;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "bye";

    public long Id { get; } = id;

    public ClientOutbox Outbox { get; } = new(options.QueueCapacity);

    public bool Wants(int topicBit) => (Volatile.Read(ref _topics) & topicBit) != 0;

    /// <summary>Queues a frame (from the pool's side: never waits). Closes the client when it is too far behind.</summary>
    public void Offer(LiveFrame frame)
    {
        if (Outbox.Offer(frame) == OutboxResult.Overflow)
        {
            LiveLog.TooFarBehind(logger, Id, Outbox.Capacity);
            fellBehind?.Invoke();
            DropAfterCloseTimeout();
        }
    }

    /// <summary>Ends the client: what is queued is sent, then a close frame with <paramref name="status"/>.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (!Outbox.Overflowed)
        {
            _closeStatus = status;
            _closeReason = reason;
        }

        Outbox.Complete();
        DropAfterCloseTimeout();
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var sender = SendLoopAsync();
        try
        {
            // The receive side ends too when the client is dropped (it may never answer our close frame).
            using var receiving = CancellationTokenSource.CreateLinkedTokenSource(stopping, _sending.Token);
            await ReceiveLoopAsync(receiving.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            LiveLog.Failed(logger, Id, e.Message);
        }

        Outbox.Complete();
        DropAfterCloseTimeout();
        await sender;
        LiveLog.Left(logger, Id, Outbox.Overflowed ? "too far behind" : socket.CloseStatus?.ToString() ?? socket.State.ToString());
    }

    private async Task ReceiveLoopAsync(CancellationToken stopping)
    {
        var buffer = new byte[options.MaxClientMessageBytes];
        while (socket.State == WebSocketState.Open)
        {
            var length = 0;
            var tooLong = false;
            ValueWebSocketReceiveResult received;
            do
            {
                if (length == buffer.Length)
                {
                    tooLong = true;
                    length = 0;
                }

                received = await socket.ReceiveAsync(buffer.AsMemory(length), stopping);
                length += received.Count;
            }
            while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

            if (received.MessageType == WebSocketMessageType.Close)
            {
                if (!Outbox.Overflowed)
                {
                    _closeStatus = WebSocketCloseStatus.NormalClosure;
                    _closeReason = "bye";
                }

                return;
            }

            if (tooLong)
            {
                Reply(Error($"The message is longer than {options.MaxClientMessageBytes} bytes; send {{\"action\":\"subscribe\",\"topic\":\"upload_progress\"}}."));
            }
            else if (received.MessageType == WebSocketMessageType.Binary)
            {
                Reply(Error("Binary messages are not understood; send JSON text such as {\"action\":\"subscribe\",\"topic\":\"upload_progress\"}."));
            }
            else
            {
                Reply(Handle(buffer.AsSpan(0, length)));
            }
        }
    }

    private LiveFrame Handle(ReadOnlySpan<byte> message)
    {
        ClientRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(message, LiveJsonContext.Default.ClientRequest);
        }
        catch (JsonException e)
        {
            return Error($"The message is not valid JSON ({e.Message}); send {{\"action\":\"subscribe\",\"topic\":\"upload_progress\"}}.");
        }

        if (request is null || (request.Action is not ("subscribe" or "unsubscribe")))
        {
            return Error($"Unknown action '{request?.Action}'; the actions are subscribe and unsubscribe, as in {{\"action\":\"subscribe\",\"topic\":\"upload_progress\"}}.");
        }

        var bit = LiveTopics.BitOf(request.Topic);
        if (bit == 0)
        {
            return Error($"Unknown topic '{request.Topic}'; the topics are {string.Join(", ", LiveTopics.All)}.");
        }

        int now;
        if (request.Action == "subscribe")
        {
            now = Interlocked.Or(ref _topics, bit) | bit;
        }
        else
        {
            now = Interlocked.And(ref _topics, ~bit) & ~bit;
        }

        var type = request.Action == "subscribe" ? LiveMessages.Subscribed : LiveMessages.Unsubscribed;
        return new LiveFrame(0, null, LiveMessages.Encode(type, request.Topic, time.GetUtcNow(), new TopicReply(request.Topic!, TopicsOf(now)), LiveJsonContext.Default.TopicReply));
    }

    private LiveFrame Error(string detail) =>
        new(0, null, LiveMessages.Encode(LiveMessages.Error, null, time.GetUtcNow(), new ErrorReply(detail, TopicsOf(Volatile.Read(ref _topics))), LiveJsonContext.Default.ErrorReply));

    private void Reply(LiveFrame frame) => Offer(frame);

    private static string[] TopicsOf(int mask) => [.. LiveTopics.All.Where(t => (mask & LiveTopics.BitOf(t)) != 0)];

    private void DropAfterCloseTimeout()
    {
        try
        {
            _sending.CancelAfter(options.CloseTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The client has gone already.
        }
    }

    public void Dispose()
    {
        _sending.Dispose();
        Outbox.Dispose();
    }

    private async Task SendLoopAsync()
    {
        var token = _sending.Token;
        try
        {
            while (await Outbox.TakeAsync(token) is { } frame)
            {
                await socket.SendAsync(frame.Payload, WebSocketMessageType.Text, endOfMessage: true, token);
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                // Asked of the outbox here, not set when it overflowed: the overflow ends this loop before Offer returns.
                await (Outbox.Overflowed
                    ? socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, $"too far behind: {Outbox.Capacity} messages were waiting; read faster or subscribe to fewer topics", token)
                    : socket.CloseOutputAsync(_closeStatus, _closeReason, token));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client is gone, or did not take what was sent within the close timeout: drop the connection.
            LiveLog.Failed(logger, Id, e.Message);
            socket.Abort();
        }
    }
}
