using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RclonePool.Server.Transport;

/// <summary>
/// Lets GET responses of plain HTTP/1.x listeners send local chunk-file bytes with <c>sendfile</c> (docs/read-path.md,
/// Serving from the file): a connection middleware that gives Kestrel a <see cref="FileSendingOutput"/> as the
/// connection's output and sends it on the socket with a <see cref="SocketFileSender"/>, and offers the handlers
/// <see cref="IFileRegionSink"/>. Only on Linux, for TCP sockets; TLS listeners (and so HTTP/2) never get it: there the
/// bytes must pass through the process to be encrypted.
/// </summary>
internal static class SendFileConnections
{
    /// <summary>Bytes of output a connection holds before its writer waits: two response buffers, so one is read into while the other is sent.</summary>
    private const long PauseBytes = 2 * 1024 * 1024;

    private const long ResumeBytes = 1024 * 1024;

    public static void UseSendFile(this ListenOptions listen)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        listen.Use(next => connection => RunAsync(connection, next));
    }

    private static async Task RunAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        if (connection.Features.Get<IConnectionSocketFeature>()?.Socket is not { ProtocolType: ProtocolType.Tcp } socket)
        {
            await next(connection);
            return;
        }

        var pool = connection.Features.Get<IMemoryPoolFeature>()?.MemoryPool ?? MemoryPool<byte>.Shared;
        // The sender runs inline on the thread that flushes (the handler's): a sendfile does not wait, and a full socket
        // buffer hands the rest to an asynchronous send, so the handler never blocks on it; this saved the two thread
        // switches per flush of a thread-pool sender (docs/benchmarks.md, branch davget4). Only a long body from files,
        // while the process streams few, is sent from a thread of its own (SenderScheduler).
        var scheduler = new SenderScheduler();
        var pipe = new Pipe(new PipeOptions(pool, scheduler, PipeScheduler.ThreadPool, PauseBytes, ResumeBytes, useSynchronizationContext: false));
        var regions = new FileRegionQueue();
        var output = new FileSendingOutput(pipe.Writer, regions, scheduler);
        var sender = new SocketFileSender(socket, pipe.Reader, regions).RunAsync();
        var transport = connection.Transport;
        connection.Transport = new DuplexPipe(transport.Input, output);
        connection.Features.Set<IFileRegionSink>(output);
        try
        {
            _ = sender.ContinueWith(t => connection.Abort(new ConnectionAbortedException("The response could not be sent.", t.Exception!.GetBaseException())), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            await next(connection);
        }
        finally
        {
            await output.CompleteAsync();
            try
            {
                await sender;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
            {
                // The client went away, or the connection was aborted: the sender has completed the pipe with the error.
            }

            connection.Transport = transport;
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
