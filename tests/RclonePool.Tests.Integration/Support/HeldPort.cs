using System.Net;
using System.Net.Sockets;

namespace RclonePool.Tests.Integration.Support;

/// <summary>
/// Keeps a stopped server's loopback port from being handed to another server while the test runs on. The port is
/// bound but not listening, so a connection to it is refused, as to a server that is down; without this, a server of
/// another test that asks the OS for a free port could get it, and the "down" remote would answer as something else.
/// </summary>
public sealed class HeldPort : IDisposable
{
    private readonly Socket _socket;

    private HeldPort(Socket socket) => _socket = socket;

    /// <summary>Binds 127.0.0.1:<paramref name="port"/> (past the stopped server's connections in TIME_WAIT).</summary>
    public static HeldPort Hold(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return new HeldPort(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _socket.Dispose();
}
