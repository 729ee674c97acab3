using System.Net;
using System.Net.Sockets;
using System.Text;
using RclonePool.Server.WebDav;

namespace RclonePool.Server.Transport;

/// <summary>
/// Real HTTP/1.1 requests over a loopback socket to a server that has just started listening, before it is reported
/// ready, so that Kestrel's accept, receive, parse and send paths and the middleware pipeline are compiled then instead
/// of during the first client's request: <c>GET /healthz</c> (which needs no credentials), and, with a warm-up
/// <paramref name="token"/>, two PROPFINDs (Depth 1, without and with a body) of the scratch pool's listing
/// (<see cref="WarmUpRoute"/>), read through a small receive buffer so that the server's writes wait for the socket as
/// they do for a large listing. Plain HTTP only; failures are ignored (the server works without).
/// </summary>
internal static class LoopbackWarmUp
{
    private const string PropBody =
        """<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getcontentlength/><D:getlastmodified/><D:getetag/></D:prop></D:propfind>""";

    /// <summary>Sends the requests; returns the status line of each (empty for one that failed), or none for a URL it cannot reach.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(Uri url, string? token, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttp || !IPAddress.TryParse(url.IdnHost, out var address))
        {
            return [];
        }

        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }

        var endPoint = new IPEndPoint(address, url.Port);
        var host = $"Host: {url.Authority}\r\nConnection: close\r\n";
        var statuses = new List<string> { await SendAsync(endPoint, $"GET /healthz HTTP/1.1\r\n{host}\r\n", cancellationToken) };
        if (token is not null)
        {
            var propFind = $"PROPFIND {DavScratch.ListingPath} HTTP/1.1\r\n{host}Depth: 1\r\n{WarmUpRoute.HeaderName}: {token}\r\n";
            statuses.Add(await SendAsync(endPoint, propFind + "\r\n", cancellationToken));
            statuses.Add(await SendAsync(
                endPoint,
                $"{propFind}Content-Type: application/xml\r\nContent-Length: {Encoding.UTF8.GetByteCount(PropBody)}\r\n\r\n{PropBody}",
                cancellationToken));
        }

        return statuses;
    }

    /// <summary>One request on a connection of its own; the response's status line, or empty when it failed.</summary>
    private static async Task<string> SendAsync(IPEndPoint endPoint, string request, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 8 * 1024 };
            await socket.ConnectAsync(endPoint, timeout.Token);
            await socket.SendAsync(Encoding.UTF8.GetBytes(request), timeout.Token);
            var buffer = new byte[8 * 1024];
            var first = new StringBuilder();
            int read;
            while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
            {
                // Read to the end (the server closes after its answer: Connection: close), keeping the status line.
                if (first.Length < 64)
                {
                    first.Append(Encoding.ASCII.GetString(buffer, 0, Math.Min(read, 64)));
                }
            }

            var text = first.ToString();
            var end = text.IndexOf('\r', StringComparison.Ordinal);
            return end < 0 ? text : text[..end];
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return string.Empty; // not warmed; the first client compiles these paths instead
        }
    }
}
