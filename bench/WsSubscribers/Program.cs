using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;

// WsSubscribers --url ws://127.0.0.1:PORT/_rclonepool/ws [--clients 100]
// Connects the clients, subscribes each to every topic, prints "WsSubscribers ready" once all are subscribed, reads
// every message until SIGTERM or SIGINT, then prints what it received and how many clients the server closed.
string? url = null;
var clients = 100;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--url": url = args[++i]; break;
        case "--clients": clients = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

if (url is null)
{
    Console.Error.WriteLine("usage: WsSubscribers --url ws://host:port/_rclonepool/ws [--clients 100]");
    return 2;
}

string[] topics = ["upload_progress", "download_progress", "verification", "health", "rebalance", "remote_error", "files", "stats"];
using var stop = new CancellationTokenSource();
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

long messages = 0, events = 0, bytes = 0, closedByServer = 0;
var waiting = clients;
var sockets = new List<ClientWebSocket>();
for (var i = 0; i < clients; i++)
{
    var socket = new ClientWebSocket();
    await socket.ConnectAsync(new Uri(url), stop.Token);
    foreach (var topic in topics)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"action":"subscribe","topic":"{{topic}}"}"""), WebSocketMessageType.Text, true, stop.Token);
    }

    sockets.Add(socket);
}

async Task ReadAsync(ClientWebSocket socket)
{
    var buffer = new byte[16 * 1024];
    var replies = 0;
    try
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), stop.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                Interlocked.Increment(ref closedByServer);
                return;
            }

            Interlocked.Add(ref bytes, result.Count);
            if (result.EndOfMessage)
            {
                Interlocked.Increment(ref messages);
                if (buffer.AsSpan(0, result.Count).IndexOf("\"type\":\"event\""u8) >= 0)
                {
                    Interlocked.Increment(ref events);
                }
                else if (++replies == topics.Length && Interlocked.Decrement(ref waiting) == 0)
                {
                    Console.WriteLine("WsSubscribers ready");
                }
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
    catch (WebSocketException e)
    {
        Console.Error.WriteLine($"a client failed: {e.Message}");
    }
}

var readers = sockets.Select(ReadAsync).ToList();
await Task.WhenAll(readers);
Console.WriteLine($"WsSubscribers: {clients} clients received {messages} messages ({events} events, {bytes} bytes); {closedByServer} closed by the server");
return 0;
