using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// A WebDAV server that describes its objects and then fails to hand them over: a PROPFIND of a path it holds answers
/// with the object's size, a GET resets the connection. That is what rclone meets when a remote goes down between
/// finding an object and opening it (a server killed mid-read), made repeatable. A path it does not hold is 404.
/// </summary>
public sealed class OpenFailingWebDav : IAsyncDisposable
{
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IReadOnlyDictionary<string, long> _objects;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _gets;

    public OpenFailingWebDav(IReadOnlyDictionary<string, long> objects)
    {
        _objects = objects;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>GET requests it has reset so far.</summary>
    public int Gets => Volatile.Read(ref _gets);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                connections.Add(ServeAsync(await _listener.AcceptSocketAsync(_stop.Token)));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var buffer = new byte[64 * 1024];
        var held = 0;
        try
        {
            while (true)
            {
                int end;
                while ((end = buffer.AsSpan(0, held).IndexOf(HeadEnd)) < 0)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(held), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    held += read;
                }

                var head = Encoding.ASCII.GetString(buffer, 0, end).Split("\r\n");
                var requestLine = head[0].Split(' ');
                var bodyLength = head.Skip(1)
                    .Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    .Select(h => int.Parse(h["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture))
                    .FirstOrDefault();
                var requestEnd = end + HeadEnd.Length + bodyLength;
                while (held < requestEnd)
                {
                    held += await socket.ReceiveAsync(buffer.AsMemory(held), _stop.Token);
                }

                buffer.AsSpan(requestEnd, held - requestEnd).CopyTo(buffer);
                held -= requestEnd;
                var path = Uri.UnescapeDataString(requestLine[1]).TrimStart('/');
                if (requestLine[0] == "GET")
                {
                    Interlocked.Increment(ref _gets);
                    socket.LingerState = new LingerOption(true, 0); // closing now sends a reset
                    return;
                }

                await socket.SendAsync(Encoding.UTF8.GetBytes(Answer(requestLine[0], path)), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away or the server stops.
        }
    }

    private string Answer(string method, string path)
    {
        if (method != "PROPFIND" || !_objects.TryGetValue(path, out var size))
        {
            return "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        }

        var body = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <D:multistatus xmlns:D="DAV:"><D:response><D:href>/{path}</D:href><D:propstat><D:prop>
            <D:getcontentlength>{size}</D:getcontentlength><D:getlastmodified>Mon, 07 Dec 2026 05:00:00 GMT</D:getlastmodified>
            <D:resourcetype/></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>
            """;
        return $"HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
    }
}
