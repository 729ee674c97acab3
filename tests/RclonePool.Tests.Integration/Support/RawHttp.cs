using System.Net.Sockets;
using System.Text;

namespace RclonePool.Tests.Integration.Support;

/// <summary>Sends bytes exactly as written (no client-side path normalisation) and reads the status code back.</summary>
public static class RawHttp
{
    public static async Task<int> SendAsync(Uri server, string requestHead, byte[]? body = null, bool closeEarly = false)
    {
        using var client = new TcpClient();
        var ct = TestContext.Current.CancellationToken;
        await client.ConnectAsync(server.Host, server.Port, ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(requestHead), ct);
        if (body is not null)
        {
            await stream.WriteAsync(body, ct);
        }

        if (closeEarly)
        {
            client.Client.Shutdown(SocketShutdown.Both);
            return 0;
        }

        var buffer = new byte[4096];
        var text = new StringBuilder();
        int read;
        while (!text.ToString().Contains("\r\n", StringComparison.Ordinal) && (read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            text.Append(Encoding.Latin1.GetString(buffer, 0, read));
        }

        var statusLine = text.ToString().Split("\r\n")[0];
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A minimal request head with Host and Connection: close.</summary>
    public static string Head(string method, string target, Uri server, params string[] headers) =>
        $"{method} {target} HTTP/1.1\r\nHost: {server.Authority}\r\nConnection: close\r\n" +
        string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";
}
