using System.Threading.Channels;
using RclonePool.Core.IO;

namespace RclonePool.Core.Redundancy;

/// <summary>
/// One shard's bytes on their way from the stripe encoder to the shard's upload. The encoder hands over whole blocks
/// rented from <see cref="StripeBlocks.Pool"/> (ownership passes with them, so no byte is copied on the way); the
/// upload reads them as a stream, and each block goes back to the pool once read. At most <c>capacity</c> blocks wait,
/// so a slow remote makes the encoder wait instead of memory growing.
/// </summary>
internal sealed class ShardFeed : ReadOnlyStream, IBlockLender
{
    private readonly Channel<ShardBlock> _blocks;
    private ShardBlock _current;
    private int _read;
    private long _position;

    public ShardFeed(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _blocks = Channel.CreateBounded<ShardBlock>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    protected override long BytesHandedOut => _position;

    /// <summary>
    /// Hands over the first <paramref name="length"/> bytes of <paramref name="block"/>, which the feed now owns (it goes
    /// back to the pool when read, or when the upload stops). Waits while the feed is full. Throws
    /// <see cref="OperationCanceledException"/> when the upload stopped reading (it failed: the caller reports why).
    /// </summary>
    public async ValueTask AddAsync(byte[] block, int length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, block.Length);
        try
        {
            await _blocks.Writer.WriteAsync(new ShardBlock(block, length), cancellationToken);
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
        {
            StripeBlocks.Pool.Return(block);
            throw e as OperationCanceledException ?? new OperationCanceledException("A shard upload stopped reading.", e);
        }
    }

    /// <summary>No more blocks: the upload reads to the end, or, with <paramref name="error"/>, fails with it.</summary>
    public void Complete(Exception? error = null) => _blocks.Writer.TryComplete(error);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_current.Block is null || _read == _current.Length)
        {
            ReturnCurrent();
            if (!await _blocks.Reader.WaitToReadAsync(cancellationToken))
            {
                return 0;
            }

            if (_blocks.Reader.TryRead(out var next))
            {
                _current = next;
                _read = 0;
            }
        }

        // Fills the buffer from every block already waiting (fewer, larger writes), but waits only for the first.
        var filled = 0;
        while (true)
        {
            var take = Math.Min(buffer.Length - filled, _current.Length - _read);
            _current.Block.AsSpan(_read, take).CopyTo(buffer.Span[filled..]);
            _read += take;
            filled += take;
            if (filled == buffer.Length || !_blocks.Reader.TryRead(out var next))
            {
                break;
            }

            ReturnCurrent();
            _current = next;
            _read = 0;
        }

        _position += filled;
        return filled;
    }

    public bool CanLend => true;

    /// <summary>The next block whole, without copying it: it goes back to the pool at the next call or on disposal.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> BorrowNextAsync(CancellationToken cancellationToken)
    {
        ReturnCurrent();
        while (await _blocks.Reader.WaitToReadAsync(cancellationToken))
        {
            if (_blocks.Reader.TryRead(out var next))
            {
                _current = next;
                _read = next.Length;
                _position += next.Length;
                return next.Block.AsMemory(0, next.Length);
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    private void ReturnCurrent()
    {
        if (_current.Block is { } block)
        {
            _current = default;
            StripeBlocks.Pool.Return(block);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The upload is done with the feed: the encoder's next hand-over fails, and what waits goes back to the pool.
            _blocks.Writer.TryComplete();
            ReturnCurrent();
            while (_blocks.Reader.TryRead(out var waiting))
            {
                StripeBlocks.Pool.Return(waiting.Block);
            }
        }

        base.Dispose(disposing);
    }

    private readonly record struct ShardBlock(byte[] Block, int Length);
}
