using System.Net;
using System.Net.Sockets;

namespace RclonePool.Tests.Integration.Faults;

/// <summary>
/// A port that accepts connections and never answers (a server wedged in user space, a load balancer with nothing
/// behind it): each connection is held open, its requests unread, until the server is disposed.
/// </summary>
public sealed class SilentServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _held = [];
    private readonly Task _accepting;
    private readonly CancellationTokenSource _stop = new();

    private SilentServer(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted
    {
        get
        {
            lock (_held)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Listens on <paramref name="port"/> of 127.0.0.1 (the port of a server just stopped).</summary>
    public static SilentServer Start(int port) => new(port);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        lock (_held)
        {
            foreach (var socket in _held)
            {
                socket.Dispose();
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_held)
                {
                    _held.Add(socket);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
