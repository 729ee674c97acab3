using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RclonePool.Server.Transport;

/// <summary>
/// One real HTTP/1.1 request (<c>GET /healthz</c>, which needs no credentials) over a loopback socket to a server that
/// has just started listening, before it is reported ready: Kestrel's accept, receive, parse and send paths are compiled
/// then instead of during the first client's request. Plain HTTP only; failures are ignored (the server works without).
/// </summary>
internal static class LoopbackWarmUp
{
    public static async Task RunAsync(Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttp || !IPAddress.TryParse(url.IdnHost, out var address))
        {
            return;
        }

        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(address, url.Port), timeout.Token);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /healthz HTTP/1.1\r\nHost: {url.Authority}\r\nConnection: close\r\n\r\n"), timeout.Token);
            var buffer = new byte[4096];
            while (await socket.ReceiveAsync(buffer, timeout.Token) > 0)
            {
                // Read to the end: the server closes after its answer (Connection: close).
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            // Not warmed; the first client compiles these paths instead.
        }
    }
}
