using RclonePool.Core.IO;

namespace RclonePool.Server.Transport;

/// <summary>
/// A connection feature of plain HTTP/1.x listeners (<see cref="SendFileConnections"/>): response bytes that a handler
/// just wrote into the response, and that are stored in a local file, are sent from the file with <c>sendfile</c>
/// instead of from memory (the kernel then does not copy them from the buffer into the socket).
/// </summary>
internal interface IFileRegionSink
{
    /// <summary>
    /// Asks that <paramref name="written"/>, bytes the caller just advanced into the response (the connection output's
    /// last <c>Advance</c>, whole, in the output's own memory), be sent from <paramref name="region"/>, which holds the
    /// same bytes. False, and nothing changes, when <paramref name="written"/> is not exactly that last advance (the
    /// response had not started, or Kestrel buffered it): the bytes are then sent from memory as usual, so a wrong
    /// answer can never send other bytes than the ones written.
    /// </summary>
    bool TrySendFromFile(ReadOnlyMemory<byte> written, FileRegion region);

    /// <summary>
    /// Whether <paramref name="memory"/>, just obtained from the response writer, is the output's own memory, so that
    /// advancing it and naming it with <see cref="TrySendUnwrittenFromFile"/> will be accepted (false while Kestrel
    /// buffers: before the response's headers are sent, or behind a pending flush).
    /// </summary>
    bool IsOutputMemory(ReadOnlyMemory<byte> memory);

    /// <summary>
    /// As <see cref="TrySendFromFile"/>, for bytes the caller advanced without writing them (a block checked in place
    /// in its file, <c>IFileRegionSource.TryCheckInPlaceAsync</c>): they are sent only from <paramref name="region"/>,
    /// never from the output's memory; a file that cannot deliver them all (cut short since) aborts the connection.
    /// False when not accepted: the caller must then end the response without flushing (the connection is aborted).
    /// </summary>
    bool TrySendUnwrittenFromFile(ReadOnlyMemory<byte> advanced, FileRegion region);

    /// <summary>
    /// Marks a long body that is about to be written (mostly from files) until the returned scope is disposed: while
    /// the process streams few such bodies, the connection sends from a thread of its own, so reading and checking
    /// the next blocks overlaps sending the last ones (<see cref="SenderScheduler"/>).
    /// </summary>
    IDisposable StreamFromFiles();
}
