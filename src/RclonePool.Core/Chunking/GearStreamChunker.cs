using System.Buffers;
using System.Security.Cryptography;

namespace RclonePool.Core.Chunking;

/// <summary>
/// Cuts a stream into content-defined chunks (<see cref="GearCutter"/>), feeding the whole-file hash. Reads through one
/// rented buffer; the bytes past a cut wait in it for the next chunk. Memory: the buffer, and each chunk up to
/// <see cref="ChunkSpool.MemoryLimit"/> (longer ones go to <c>temp_dir</c>).
/// </summary>
internal sealed class GearStreamChunker(Stream source, CdcSizes sizes, string tempDir, IncrementalHash fileHash) : IStreamChunker
{
    private const int BufferSize = 1 << 20;

    private readonly GearCutter _cutter = new(sizes);
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _start;
    private int _end;
    private bool _sourceEnded;

    public bool Ended => _sourceEnded && _start == _end;

    public async Task<ChunkSpool> NextAsync(CancellationToken cancellationToken)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(GearStreamChunker));
        await using var chunk = new ChunkSpoolBuilder(tempDir);
        while (true)
        {
            if (_start == _end)
            {
                if (_sourceEnded)
                {
                    break;
                }

                _start = 0;
                _end = await source.ReadAsync(buffer, cancellationToken);
                if (_end == 0)
                {
                    _sourceEnded = true;
                    break;
                }

                fileHash.AppendData(buffer, 0, _end);
            }

            var cut = _cutter.Feed(buffer.AsSpan(_start, _end - _start));
            var take = cut < 0 ? _end - _start : cut;
            await chunk.AppendAsync(buffer.AsMemory(_start, take), cancellationToken);
            _start += take;
            if (cut >= 0)
            {
                return await chunk.CompleteAsync();
            }
        }

        _cutter.Reset();
        return await chunk.CompleteAsync();
    }

    public ValueTask DisposeAsync()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return ValueTask.CompletedTask;
    }
}
