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
    /// Marks a long body that is about to be written (mostly from files) until the returned scope is disposed: while
    /// the process streams few such bodies, the connection sends from a thread of its own, so reading and checking
    /// the next blocks overlaps sending the last ones (<see cref="SenderScheduler"/>).
    /// </summary>
    IDisposable StreamFromFiles();
}
