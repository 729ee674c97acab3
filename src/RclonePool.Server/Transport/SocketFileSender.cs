using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace RclonePool.Server.Transport;

/// <summary>
/// Sends one connection's output (<see cref="FileSendingOutput"/>'s pipe) on its socket in place of Kestrel's socket
/// sender: bytes named as file ranges (<see cref="FileRegionQueue"/>) with <c>sendfile</c>, everything else (status
/// lines, headers, bodies not from files) with an ordinary send, in output order. The pipe still holds the file
/// ranges' bytes (the handler read and checked them there), so whatever <c>sendfile</c> cannot send — the socket's
/// buffer is full, or the file is shorter than when it was read — goes from memory instead: one small asynchronous
/// send that waits for room, then <c>sendfile</c> again. A send that fails (the client went away) ends the sender and
/// aborts the connection.
/// </summary>
internal sealed class SocketFileSender(Socket socket, PipeReader output, FileRegionQueue regions)
{
    /// <summary>Bytes sent from memory to wait for room in a full socket buffer before the next <c>sendfile</c>.</summary>
    private const int WaitBytes = 4 * 1024;

    private static long _bytesFromFiles;

    private long _position;

    /// <summary>Bytes all connections of this process have sent with <c>sendfile</c> (a diagnostic for tests).</summary>
    internal static long BytesFromFiles => Interlocked.Read(ref _bytesFromFiles);

    /// <summary>Sends until the output completes; throws when the socket fails (the caller aborts the connection).</summary>
    public async Task RunAsync()
    {
        var handle = socket.SafeHandle;
        try
        {
            while (true)
            {
                var result = await output.ReadAsync();
                var buffer = result.Buffer;
                while (!buffer.IsEmpty)
                {
                    buffer = await SendSomeAsync(handle, buffer);
                }

                output.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            await output.CompleteAsync();
        }
        catch (Exception e)
        {
            await output.CompleteAsync(e);
            throw;
        }
        finally
        {
            regions.Close();
        }
    }

    /// <summary>Sends the start of <paramref name="buffer"/> (at <see cref="_position"/>) up to the next region boundary; returns the rest.</summary>
    private async ValueTask<ReadOnlySequence<byte>> SendSomeAsync(SafeSocketHandle fd, ReadOnlySequence<byte> buffer)
    {
        var region = regions.Peek();
        if (region is null || region.Position >= _position + buffer.Length)
        {
            await SendMemoryAsync(buffer);
            _position += buffer.Length;
            return default;
        }

        if (region.Position > _position)
        {
            var before = buffer.Slice(0, region.Position - _position);
            await SendMemoryAsync(before);
            _position = region.Position;
            return buffer.Slice(before.Length);
        }

        if (region.End <= _position)
        {
            throw new InvalidOperationException($"A file range ending at output byte {region.End} was queued after byte {_position} had been sent.");
        }

        var take = Math.Min(buffer.Length, region.End - _position);
        await SendFileAsync(fd, region, buffer.Slice(0, take));
        _position += take;
        regions.Sent(region, _position);
        return buffer.Slice(take);
    }

    /// <summary>Sends <paramref name="bytes"/> (output bytes at <see cref="_position"/>, inside <paramref name="region"/>) from the region's file.</summary>
    private async ValueTask SendFileAsync(SafeSocketHandle fd, FileRegionQueue.Entry region, ReadOnlySequence<byte> bytes)
    {
        var offset = region.FileOffset + (_position - region.Position);
        while (!bytes.IsEmpty)
        {
            var sent = SendFile.Send(fd, region.Handle, ref offset, bytes.Length, out var error);
            if (sent > 0)
            {
                Interlocked.Add(ref _bytesFromFiles, sent);
                bytes = bytes.Slice(sent);
                continue;
            }

            if (sent < 0 && error == SendFile.Interrupted)
            {
                continue;
            }

            if (sent < 0 && error is SendFile.BrokenPipe or SendFile.ConnectionReset)
            {
                throw new SocketException(error == SendFile.BrokenPipe ? (int)SocketError.Shutdown : (int)SocketError.ConnectionReset);
            }

            if (sent < 0 && error == SendFile.Again)
            {
                // The socket's buffer is full: a small send from memory waits for room (asynchronously) and sends the
                // same bytes the file holds.
                var wait = bytes.Slice(0, Math.Min(WaitBytes, bytes.Length));
                await SendMemoryAsync(wait);
                offset += wait.Length;
                bytes = bytes.Slice(wait.Length);
                continue;
            }

            // The file ended early or cannot be sent from (changed by something outside the pool): the checked bytes
            // in memory are sent instead.
            await SendMemoryAsync(bytes);
            return;
        }
    }

    private async ValueTask SendMemoryAsync(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            var left = segment;
            while (!left.IsEmpty)
            {
                var sent = await socket.SendAsync(left, SocketFlags.None);
                left = left[sent..];
            }
        }
    }
}
