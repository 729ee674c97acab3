using System.Buffers;
using RclonePool.Core.Errors;
using RclonePool.Core.Manifests;
using RclonePool.Core.Redundancy;
using RclonePool.Core.Remotes;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// Reads one shard of a stripe row by row through one ranged read, keeping the last row it read (or that was
/// rebuilt for it) in a block buffer, so that rebuilding a row can use rows the run has already passed.
/// </summary>
internal sealed class ShardReader(ChunkSource chunk, StripeGeometry geometry, int shard, ChunkLocation? location, int endRow) : IAsyncDisposable
{
    private Stream? _stream;
    private int _streamRow;
    private long _streamEnd;
    private byte[]? _buffer;

    public ChunkLocation? Location => location;

    public int Shard => shard;

    /// <summary>Set once the shard failed in this run: it is not read again.</summary>
    public bool Bad { get; private set; }

    /// <summary>The row <see cref="Buffer"/> holds, or -1.</summary>
    public int BufferedRow { get; private set; } = -1;

    public byte[] Buffer => _buffer ??= ArrayPool<byte>.Shared.Rent(geometry.BlockSize);

    /// <summary>This shard's bytes of <paramref name="row"/> (empty for a block past the chunk's end).</summary>
    public async ValueTask<ReadOnlyMemory<byte>> RowAsync(int row, CancellationToken cancellationToken)
    {
        var length = geometry.ShardBlockLength(shard, row);
        if (BufferedRow == row || length == 0)
        {
            return Buffer.AsMemory(0, length);
        }

        if (location is null)
        {
            throw new PoolException(PoolErrorKind.Integrity, $"Chunk {chunk.Index} of {chunk.Manifest.Path} records no stored object for shard {shard}.");
        }

        BufferedRow = -1;
        try
        {
            if (_stream is null || _streamRow > row)
            {
                await CloseAsync();
                var offset = geometry.RowOffset(row);
                var count = geometry.ShardBytes(shard, row, endRow);
                _stream = await chunk.Store.OpenReadAsync(new RemotePath(chunk.Resolve(location).Storage, location.Object), offset, count, cancellationToken);
                _streamRow = row;
                _streamEnd = offset + count;
            }

            while (_streamRow <= row)
            {
                var want = geometry.ShardBlockLength(shard, _streamRow);
                var read = await _stream.ReadAtLeastAsync(Buffer.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken);
                if (read != want)
                {
                    throw await chunk.CutShortAsync(location, _streamEnd, $"shard {shard} ends at row {_streamRow}", cancellationToken);
                }

                _streamRow++;
            }
        }
        catch (PoolException e) when (e.Kind == PoolErrorKind.NotFound)
        {
            throw chunk.Corrupt(location, $"shard {shard} is missing");
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw chunk.Broken(location, e);
        }

        BufferedRow = row;
        return Buffer.AsMemory(0, length);
    }

    /// <summary>Takes the shard out of the run (its buffer no longer holds a trusted row).</summary>
    public async ValueTask FailAsync()
    {
        Bad = true;
        BufferedRow = -1;
        await CloseAsync();
    }

    /// <summary>The buffer now holds <paramref name="row"/>, rebuilt from the other shards.</summary>
    public void Rebuilt(int row) => BufferedRow = row;

    private async ValueTask CloseAsync()
    {
        if (_stream is not null)
        {
            await _stream.DisposeAsync();
            _stream = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
