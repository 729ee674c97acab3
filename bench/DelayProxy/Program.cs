// DelayProxy: a loopback TCP proxy that delays the data in each direction by a fixed time, without limiting
// throughput. bench/cloud-vs-rclone.sh puts it in front of each `rclone serve webdav` remote, so that every call
// crosses a round trip as it would to a cloud account (this kernel has no netem).
//
//   DelayProxy --delay-ms 40 --listen 127.0.0.1:Q --target 127.0.0.1:P [--listen ... --target ...]... [--queue-mb 32]
//
// For each accepted connection it connects to the target; per direction, a reader loop reads chunks of up to 64 KiB
// and queues them with the time they are due (now + delay), and a writer loop writes each chunk, in order, once it
// is due. The queue holds at most queue-mb MiB per direction (reading pauses while it is full). When one side ends
// its sending (EOF), the other side's sending is shut down once the queued data is written; a reset ends both.
// Port 0 picks a free port: one line per listener, "listening ADDR:PORT -> TARGET", then "DelayProxy ready".
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace DelayProxy;

internal static class Program
{
    private const int ChunkBytes = 64 * 1024;

    private static async Task<int> Main(string[] args)
    {
        var listens = new List<IPEndPoint>();
        var targets = new List<IPEndPoint>();
        var delay = TimeSpan.FromMilliseconds(40);
        var queueMb = 32;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--listen": listens.Add(IPEndPoint.Parse(value)); break;
                    case "--target": targets.Add(IPEndPoint.Parse(value)); break;
                    case "--delay-ms": delay = TimeSpan.FromMilliseconds(double.Parse(value, CultureInfo.InvariantCulture)); break;
                    case "--queue-mb": queueMb = int.Parse(value, CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
                i++;
            }
            if (listens.Count == 0 || listens.Count != targets.Count)
                throw new ArgumentException("give one or more --listen ADDR:PORT --target ADDR:PORT pairs");
            if (delay < TimeSpan.Zero || queueMb < 1)
                throw new ArgumentException("--delay-ms must be 0 or more and --queue-mb 1 or more");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync($"DelayProxy: {e.Message}");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

        var queueChunks = Math.Max(1, queueMb * 1024 * 1024 / ChunkBytes);
        var loops = new List<Task>();
        var listeners = new List<Socket>();
        for (var i = 0; i < listens.Count; i++)
        {
            var listener = new Socket(listens[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(listens[i]);
            listener.Listen(512);
            listeners.Add(listener);
            Console.WriteLine($"listening {listener.LocalEndPoint} -> {targets[i]}");
            loops.Add(AcceptLoopAsync(listener, targets[i], delay, queueChunks, stop.Token));
        }
        Console.WriteLine("DelayProxy ready");
        try
        {
            await Task.WhenAll(loops);
        }
        catch (OperationCanceledException)
        {
        }
        foreach (var listener in listeners)
            listener.Dispose();
        return 0;
    }

    private static async Task AcceptLoopAsync(Socket listener, IPEndPoint target, TimeSpan delay, int queueChunks, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            _ = Task.Run(() => ConnectionAsync(client, target, delay, queueChunks, stop), CancellationToken.None);
        }
    }

    private static async Task ConnectionAsync(Socket client, IPEndPoint target, TimeSpan delay, int queueChunks, CancellationToken stop)
    {
        using var clientSocket = client;
        using var server = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        client.NoDelay = true;
        server.NoDelay = true;
        try
        {
            await server.ConnectAsync(target, stop);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            client.LingerState = new LingerOption(true, 0);   // the target refuses: reset, as it would
            return;
        }
        using var broken = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var up = PumpAsync(client, server, delay, queueChunks, broken);
        var down = PumpAsync(server, client, delay, queueChunks, broken);
        await Task.WhenAll(up, down);
        if (broken.IsCancellationRequested)
        {
            client.LingerState = new LingerOption(true, 0);
            server.LingerState = new LingerOption(true, 0);
        }
    }

    private readonly record struct Chunk(long Due, byte[] Buffer, int Count);

    // Copies from -> to, each chunk delayed by `delay`; on EOF shuts down to's sending after the queued data.
    // A failure on either socket cancels `broken`, which ends both directions of the connection.
    private static async Task PumpAsync(Socket from, Socket to, TimeSpan delay, int queueChunks, CancellationTokenSource broken)
    {
        var queue = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(queueChunks)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var token = broken.Token;
        var delayTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);

        async Task ReadAsync()
        {
            try
            {
                while (true)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                    int n;
                    try
                    {
                        n = await from.ReceiveAsync(buffer.AsMemory(0, ChunkBytes), SocketFlags.None, token);
                    }
                    catch
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        throw;
                    }
                    if (n == 0)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        break;
                    }
                    var chunk = new Chunk(Stopwatch.GetTimestamp() + delayTicks, buffer, n);
                    if (!queue.Writer.TryWrite(chunk))
                    {
                        try
                        {
                            await queue.Writer.WriteAsync(chunk, token);
                        }
                        catch
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            throw;
                        }
                    }
                }
                queue.Writer.TryComplete();
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                queue.Writer.TryComplete();
                await broken.CancelAsync();
            }
        }

        async Task WriteAsync()
        {
            try
            {
                await foreach (var chunk in queue.Reader.ReadAllAsync(token))
                {
                    try
                    {
                        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), chunk.Due);
                        if (wait > TimeSpan.Zero)
                            await Task.Delay(wait, token);
                        var sent = 0;
                        while (sent < chunk.Count)
                            sent += await to.SendAsync(chunk.Buffer.AsMemory(sent, chunk.Count - sent), SocketFlags.None, token);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(chunk.Buffer);
                    }
                }
                to.Shutdown(SocketShutdown.Send);   // the source ended its sending: pass the half-close on
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                await broken.CancelAsync();
                while (queue.Reader.TryRead(out var left))
                    ArrayPool<byte>.Shared.Return(left.Buffer);
            }
        }

        await Task.WhenAll(Task.Run(ReadAsync, CancellationToken.None), Task.Run(WriteAsync, CancellationToken.None));
    }
}
