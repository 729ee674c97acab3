namespace RclonePool.Core.IO;

/// <summary>
/// A read stream that can tell where the bytes of its last read are stored in a local file: a verified pool read
/// whose last read was one whole hash block read with <c>pread</c> from a chunk file and checked in the caller's
/// buffer (docs/read-path.md, Serving from the file).
/// </summary>
public interface IFileRegionSource
{
    /// <summary>
    /// The file range holding exactly the bytes the last read returned, the same bytes that were checked against
    /// their digest; null when the last read did not come whole from one local file (a cache hit, a remote behind
    /// rclone, a partial block, an inline or striped chunk). Chunk files are never written in place (a write goes to a
    /// temporary name and is renamed), so the range holds those bytes for as long as the handle is open.
    /// </summary>
    FileRegion? LastRegion { get; }

    /// <summary>
    /// When the read's next bytes are one whole hash block, at most <paramref name="maxLength"/> long, stored in a local
    /// chunk file, checks the block where it lies (a read-only mapping of the file: no copy into a buffer), moves the
    /// read past it and returns its file range: the caller hands out those bytes by naming the range (a server sends
    /// it with <c>sendfile</c>), never from memory. Null, and the read does not move, when the next bytes are not such
    /// a block: the caller reads them as usual. A block that fails its check is handled as by a read (another copy,
    /// the parity, or an Integrity error) before anything of it is returned.
    /// </summary>
    ValueTask<FileRegion?> TryCheckInPlaceAsync(int maxLength, CancellationToken cancellationToken);
}
