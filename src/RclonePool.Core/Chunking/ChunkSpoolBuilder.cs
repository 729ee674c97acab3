namespace RclonePool.Core.Chunking;

/// <summary>
/// Collects one chunk piece by piece (a content-defined chunk, whose end is known only when it comes): in memory up to
/// <see cref="ChunkSpool.MemoryLimit"/>, growing as data arrives, then in a private file under <c>temp_dir</c>.
/// <see cref="Complete"/> hands the bytes over as a <see cref="ChunkSpool"/>; disposing an unfinished builder deletes its file.
/// </summary>
internal sealed class ChunkSpoolBuilder(string tempDir) : IAsyncDisposable
{
    private const int FirstBuffer = 64 * 1024;

    private byte[] _memory = [];
    private string? _path;
    private FileStream? _file;

    public long Length { get; private set; }

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (_file is null && Length + data.Length > ChunkSpool.MemoryLimit)
        {
            _file = ChunkSpool.CreateFile(tempDir, out _path);
            await _file.WriteAsync(_memory.AsMemory(0, (int)Length), cancellationToken);
            _memory = [];
        }

        if (_file is not null)
        {
            await _file.WriteAsync(data, cancellationToken);
        }
        else
        {
            if (Length + data.Length > _memory.Length)
            {
                var size = Math.Max(FirstBuffer, _memory.Length);
                while (size < Length + data.Length)
                {
                    size *= 2;
                }

                Array.Resize(ref _memory, (int)Math.Min(size, ChunkSpool.MemoryLimit));
            }

            data.CopyTo(_memory.AsMemory((int)Length));
        }

        Length += data.Length;
    }

    /// <summary>The chunk collected so far; the builder is empty afterwards.</summary>
    public async Task<ChunkSpool> CompleteAsync()
    {
        ChunkSpool spool;
        if (_file is not null)
        {
            await _file.DisposeAsync();
            spool = ChunkSpool.OfFile(_path!, Length);
        }
        else
        {
            spool = ChunkSpool.OfMemory(_memory, Length);
        }

        _memory = [];
        _file = null;
        _path = null;
        Length = 0;
        return spool;
    }

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync();
            File.Delete(_path!);
            _file = null;
        }
    }
}
