using RclonePool.Core.Caching;
using RclonePool.Core.Errors;
using RclonePool.Core.Integrity;

namespace RclonePool.Tests.Unit.Caching;

/// <summary>A chunk in memory with its block digests, counting the ranged reads the cache opens on it.</summary>
internal sealed class FakeChunk : IChunkSource
{
    private readonly byte[] _digests;
    private int _opens;

    public FakeChunk(string id, int length, int blockSize = 1024, int seed = 1)
    {
        Id = id;
        Data = new byte[length];
        new Random(seed).NextBytes(Data);
        BlockSize = blockSize;
        var blocks = (length + blockSize - 1) / blockSize;
        _digests = new byte[blocks * BlockDigest.Size];
        for (var b = 0; b < blocks; b++)
        {
            BlockDigest.Compute(Data.AsSpan(b * blockSize, Math.Min(blockSize, length - (b * blockSize))), _digests.AsSpan(b * BlockDigest.Size));
        }
    }

    public string Id { get; }

    public byte[] Data { get; }

    public long Length => Data.Length;

    public int BlockSize { get; }

    public int Opens => Volatile.Read(ref _opens);

    /// <summary>When set, opening a run waits for it (cancellable).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public bool Verify(int block, ReadOnlySpan<byte> bytes) => BlockDigest.Matches(bytes, _digests, block);

    public async Task<IBlockRun> OpenAsync(BlockRange blocks, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opens);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return new Run(this, blocks.From, blocks.To);
    }

    public byte[] Block(int block) => Data.AsSpan(block * BlockSize, ((IChunkSource)this).BlockLength(block)).ToArray();

    private sealed class Run(FakeChunk chunk, int from, int to) : IBlockRun
    {
        public int NextBlock { get; private set; } = from;

        public ValueTask<int> ReadNextAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (NextBlock >= to)
            {
                throw new PoolException(PoolErrorKind.Integrity, "read past the run");
            }

            var bytes = chunk.Block(NextBlock++);
            bytes.CopyTo(buffer);
            return ValueTask.FromResult(bytes.Length);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
