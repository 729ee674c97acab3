using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace RclonePool.Tests.Integration.WebDav;

/// <summary>
/// One HTTP/1.1 connection over a raw socket, requests sent one at a time: each response is read exactly as framed
/// (status line, headers, then Content-Length bytes), so a byte too many or too few shows up in the next response.
/// </summary>
internal sealed class RawHttpConnection(Socket socket) : IDisposable
{
    private readonly byte[] _buffer = new byte[1024 * 1024];
    private int _start;
    private int _end;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<RawResponse> SendAsync(string method, string path, params string[] headers)
    {
        await SendHeadAsync(method, path, headers);
        return await ReadResponseAsync(method);
    }

    /// <summary>Sends a request's head only (its body, if any, goes with <see cref="SendBytesAsync"/>).</summary>
    public async Task SendHeadAsync(string method, string path, params string[] headers)
    {
        var request = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        foreach (var header in headers)
        {
            request.Append(header).Append("\r\n");
        }

        await SendBytesAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()));
    }

    public async Task SendBytesAsync(byte[] bytes) => await socket.SendAsync(bytes, Ct);

    /// <summary>Reads one whole response: its head, then exactly Content-Length body bytes (none for HEAD).</summary>
    public async Task<RawResponse> ReadResponseAsync(string method = "GET")
    {
        var head = await ReadHeadAsync();
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        long? length = null;
        foreach (var line in lines.Skip(1))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        var body = method == "HEAD" || status is 204 or 304 ? [] : new byte[length ?? throw new InvalidDataException($"no Content-Length in {head}")];
        for (var filled = 0; filled < body.Length;)
        {
            if (_start == _end && !await FillAsync())
            {
                throw new EndOfStreamException($"the connection closed after {filled} of {body.Length} body bytes");
            }

            var take = Math.Min(_end - _start, body.Length - filled);
            _buffer.AsSpan(_start, take).CopyTo(body.AsSpan(filled));
            _start += take;
            filled += take;
        }

        return new RawResponse(status, length, body);
    }

    /// <summary>Reads one response head (status line and headers), not its body: an interim "100 Continue", say.</summary>
    public async Task<string> ReadHeadAsync()
    {
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.ASCII.GetString(_buffer, _start, end);
                _start += end + 4;
                return head;
            }

            if (!await FillAsync())
            {
                throw new EndOfStreamException("the connection closed before a response");
            }
        }
    }

    private async Task<bool> FillAsync()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), Ct);
        _end += read;
        return read > 0;
    }

    public void Dispose() => socket.Dispose();
}

/// <summary>A response read by <see cref="RawHttpConnection"/>.</summary>
internal sealed record RawResponse(int Status, long? ContentLength, byte[] Body);
