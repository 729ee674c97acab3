using RclonePool.Core.IO;

namespace RclonePool.Core.Caching;

/// <summary>An open ranged read of consecutive blocks of one chunk, handing out each block only after checking it.</summary>
public interface IBlockRun : IAsyncDisposable
{
    /// <summary>The block the next <see cref="ReadNextAsync"/> returns.</summary>
    int NextBlock { get; }

    /// <summary>
    /// Reads the next block into <paramref name="buffer"/> (at least a block long) and returns its length. A block
    /// that does not match its digest, or a stored object that ends early, is an Integrity error; a broken transfer
    /// is Transient. No bytes of a bad block are returned.
    /// </summary>
    ValueTask<int> ReadNextAsync(Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Where the block the last <see cref="ReadNextAsync"/> returned is stored in a local file, when it was read from one (see <see cref="IFileRegionSource"/>).</summary>
    FileRegion? LastRegion => null;
}
