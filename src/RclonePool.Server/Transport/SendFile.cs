using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RclonePool.Server.Transport;

/// <summary>Linux <c>sendfile(2)</c>: the kernel sends file pages to a socket without copying them through the process.</summary>
internal static partial class SendFile
{
    public const int Again = 11;        // EAGAIN: the socket's send buffer is full
    public const int Interrupted = 4;   // EINTR
    public const int BrokenPipe = 32;   // EPIPE
    public const int ConnectionReset = 104; // ECONNRESET

    /// <summary>
    /// Sends up to <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/> (advanced) to
    /// <paramref name="socket"/>; the bytes sent, 0 at the end of the file, or -1 with <paramref name="error"/>. Both
    /// handles are referenced for the call only: a socket being disposed must not wait for a sender that holds it.
    /// </summary>
    public static long Send(SafeSocketHandle socket, SafeFileHandle file, ref long offset, long count, out int error)
    {
        var sent = (long)SendFileCall(socket, file, ref offset, (nuint)count);
        error = sent < 0 ? Marshal.GetLastPInvokeError() : 0;
        return sent;
    }

    [LibraryImport("libc", EntryPoint = "sendfile", SetLastError = true)]
    private static partial nint SendFileCall(SafeSocketHandle socket, SafeFileHandle file, ref long offset, nuint count);
}
