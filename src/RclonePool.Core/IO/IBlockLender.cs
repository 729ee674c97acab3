namespace RclonePool.Core.IO;

/// <summary>
/// A stream whose bytes already sit in whole blocks of memory it can lend out, so a writer that only passes them on
/// (to a file) takes each block as it is instead of copying it into a buffer of its own first.
/// </summary>
public interface IBlockLender
{
    /// <summary>False when this stream cannot lend (a wrapper over a stream that does not), and must be read as usual.</summary>
    bool CanLend { get; }

    /// <summary>
    /// The next bytes of the stream, lent until the next call or until the stream is disposed; empty at the end. Do not
    /// mix with reads of the same stream.
    /// </summary>
    ValueTask<ReadOnlyMemory<byte>> BorrowNextAsync(CancellationToken cancellationToken);
}
