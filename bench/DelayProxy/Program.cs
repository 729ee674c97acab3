// DelayProxy: a loopback TCP proxy that delays the data in each direction by a fixed time and, with --rate-mibps,
// limits each listener's throughput in each direction. bench/cloud-vs-rclone.sh puts it in front of each `rclone serve
// webdav` remote, so that every call crosses a round trip as it would to a cloud account (this kernel has no netem).
//
//   DelayProxy --delay-ms 40 --listen 127.0.0.1:Q --target 127.0.0.1:P [--listen ... --target ...]... [--queue-mb 32]
//              [--rate-mibps R]
//
// --rate-mibps R: every listener (one account) passes at most R MiB/s towards its target (uploads) and, separately, R
// MiB/s back (downloads), shared by all its connections, as an account's upload and download capacities are separate.
// (rclone serve --bwlimit counts both directions against one budget: a read and a write at once share it.)
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
        var rateMibps = 0.0;
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
                    case "--rate-mibps": rateMibps = double.Parse(value, CultureInfo.InvariantCulture); break;
                    default: throw new ArgumentException($"unknown option {args[i]}");
                }
                i++;
            }
            if (listens.Count == 0 || listens.Count != targets.Count)
                throw new ArgumentException("give one or more --listen ADDR:PORT --target ADDR:PORT pairs");
            if (delay < TimeSpan.Zero || queueMb < 1 || rateMibps < 0)
                throw new ArgumentException("--delay-ms and --rate-mibps must be 0 or more (0: no limit) and --queue-mb 1 or more");
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
            var pacers = new Pacers(Pacer.For(rateMibps), Pacer.For(rateMibps));
            loops.Add(AcceptLoopAsync(listener, targets[i], delay, queueChunks, pacers, stop.Token));
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

    private static async Task AcceptLoopAsync(Socket listener, IPEndPoint target, TimeSpan delay, int queueChunks, Pacers pacers, CancellationToken stop)
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
            _ = Task.Run(() => ConnectionAsync(client, target, delay, queueChunks, pacers, stop), CancellationToken.None);
        }
    }

    private static async Task ConnectionAsync(Socket client, IPEndPoint target, TimeSpan delay, int queueChunks, Pacers pacers, CancellationToken stop)
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
        var up = PumpAsync(client, server, delay, queueChunks, pacers.Up, broken);
        var down = PumpAsync(server, client, delay, queueChunks, pacers.Down, broken);
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
    private static async Task PumpAsync(Socket from, Socket to, TimeSpan delay, int queueChunks, Pacer? pacer, CancellationTokenSource broken)
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
                        if (pacer is not null)
                            await pacer.TakeAsync(chunk.Count, token);
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

internal sealed record Pacers(Pacer? Up, Pacer? Down);

// A byte rate shared by every connection of one listener in one direction: each send takes its turn on a virtual clock
// that advances by bytes / rate, with at most 20 ms of unused time carried forward as burst.
internal sealed class Pacer(double bytesPerSecond)
{
    private static readonly long BurstTicks = Stopwatch.Frequency / 50;
    private readonly Lock _gate = new();
    private long _next;

    public static Pacer? For(double mibps) => mibps > 0 ? new Pacer(mibps * 1024 * 1024) : null;

    public Task TakeAsync(int bytes, CancellationToken token)
    {
        long now = Stopwatch.GetTimestamp(), due;
        lock (_gate)
        {
            _next = Math.Max(_next, now - BurstTicks) + (long)(bytes / bytesPerSecond * Stopwatch.Frequency);
            due = _next - BurstTicks;
        }
        var wait = Stopwatch.GetElapsedTime(now, due);
        return wait > TimeSpan.Zero ? Task.Delay(wait, token) : Task.CompletedTask;
    }
}
