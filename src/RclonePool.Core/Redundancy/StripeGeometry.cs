namespace RclonePool.Core.Redundancy;

/// <summary>
/// How a parity-coded chunk is laid out over its k data and m parity shards (docs/redundancy.md). The chunk's hash
/// blocks are dealt round-robin: block b lives in data shard b mod k, in row b / k. Every row of k blocks has m parity
/// blocks as long as the row's first block; a missing block of the last row counts as zeros. Every shard holds its
/// blocks of row r at offset r × block size, so a ranged read of a healthy chunk reads its blocks straight from the
/// data shards, and a degraded read rebuilds only the rows it needs.
/// </summary>
public readonly record struct StripeGeometry
{
    public StripeGeometry(long chunkLength, int blockSize, int dataShards, int parityShards)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunkLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dataShards);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parityShards);
        ChunkLength = chunkLength;
        BlockSize = blockSize;
        DataShards = dataShards;
        ParityShards = parityShards;
    }

    public long ChunkLength { get; }

    public int BlockSize { get; }

    public int DataShards { get; }

    public int ParityShards { get; }

    public int TotalShards => DataShards + ParityShards;

    public int BlockCount => (int)((ChunkLength + BlockSize - 1) / BlockSize);

    public int RowCount => (BlockCount + DataShards - 1) / DataShards;

    public int BlockLength(int block) => block < BlockCount ? (int)Math.Min(BlockSize, ChunkLength - ((long)block * BlockSize)) : 0;

    /// <summary>Row of <paramref name="block"/>.</summary>
    public int RowOf(int block) => block / DataShards;

    /// <summary>Data shard holding <paramref name="block"/>.</summary>
    public int ShardOf(int block) => block % DataShards;

    /// <summary>Length of the parity blocks of <paramref name="row"/> (its first, longest, data block).</summary>
    public int RowLength(int row) => BlockLength(row * DataShards);

    /// <summary>Bytes shard <paramref name="shard"/> holds for <paramref name="row"/> (0 for a block past the chunk's end).</summary>
    public int ShardBlockLength(int shard, int row) =>
        shard < DataShards ? BlockLength((row * DataShards) + shard) : RowLength(row);

    /// <summary>Offset of <paramref name="row"/> in every shard.</summary>
    public long RowOffset(int row) => (long)row * BlockSize;

    /// <summary>Bytes of shard <paramref name="shard"/> from row <paramref name="fromRow"/> up to (not including) <paramref name="toRow"/>.</summary>
    public long ShardBytes(int shard, int fromRow, int toRow) =>
        toRow <= fromRow ? 0 : RowOffset(toRow - 1) - RowOffset(fromRow) + ShardBlockLength(shard, toRow - 1);

    /// <summary>Stored length of shard <paramref name="shard"/>.</summary>
    public long ShardLength(int shard) => ShardBytes(shard, 0, RowCount);
}
