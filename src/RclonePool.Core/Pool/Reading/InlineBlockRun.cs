using RclonePool.Core.Caching;

namespace RclonePool.Core.Pool.Reading;

/// <summary>A run over a chunk held inside its manifest: each block is still checked against its digest.</summary>
internal sealed class InlineBlockRun(ChunkSource chunk, byte[] bytes, BlockRange blocks) : IBlockRun
{
    private readonly int _to = blocks.To;

    public int NextBlock { get; private set; } = blocks.From;

    public ValueTask<int> ReadNextAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (NextBlock >= _to)
        {
            throw new InvalidOperationException("The run has no more blocks.");
        }

        var block = NextBlock;
        var length = chunk.BlockLength(block);
        var data = bytes.AsSpan(block * chunk.BlockSize, length);
        if (!chunk.Verify(block, data))
        {
            throw new Errors.PoolException(Errors.PoolErrorKind.Integrity, $"The data of {chunk.Manifest.Path} held in its manifest does not match its hash at block {block}; the manifest is damaged. Run 'rclonepool verify {chunk.Manifest.Path}'.");
        }

        data.CopyTo(buffer.Span);
        NextBlock++;
        return ValueTask.FromResult(length);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
