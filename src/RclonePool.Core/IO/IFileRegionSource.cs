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
}
