using System.Diagnostics;
using RclonePool.Core.Caching;
using RclonePool.Core.Chunking;
using RclonePool.Core.Errors;
using RclonePool.Core.IO;
using RclonePool.Core.Manifests;

namespace RclonePool.Core.Pool.Reading;

/// <summary>
/// A ranged read of consecutive blocks of one chunk from one stored location. Each block is read whole and checked
/// against its digest before any of it is handed out (docs/read-path.md: the block digests cover every byte, so
/// reads do not hash whole chunks again; verify does).
/// </summary>
internal sealed class RemoteBlockRun : IBlockRun
{
    private readonly ChunkSource _chunk;
    private readonly ChunkLocation _location;
    private readonly Stream _stream;
    private readonly int _to;
    private readonly long _objectEnd;

    /// <param name="objectEnd">Where in the stored object the requested range ends: an object at least this long can serve every block of the run.</param>
    public RemoteBlockRun(ChunkSource chunk, ChunkLocation location, Stream stream, BlockRange blocks, long objectEnd)
    {
        _chunk = chunk;
        _location = location;
        _stream = stream;
        _to = blocks.To;
        _objectEnd = objectEnd;
        NextBlock = blocks.From;
    }

    public int NextBlock { get; private set; }

    public string Remote => _location.Remote;

    public FileRegion? LastRegion { get; private set; }

    public async ValueTask<int> ReadNextAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (NextBlock >= _to)
        {
            throw new InvalidOperationException("The run has no more blocks.");
        }

        var block = NextBlock;
        var length = _chunk.BlockLength(block);
        var target = buffer[..length];
        var file = _stream as FileRangeStream;
        var at = file?.Position ?? 0;
        LastRegion = null;
        int filled;
        try
        {
            var started = Stopwatch.GetTimestamp();
            filled = await _stream.ReadAtLeastAsync(target, length, throwOnEndOfStream: false, cancellationToken);
            _chunk.Meter?.Add(filled, Stopwatch.GetTimestamp() - started);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw _chunk.Broken(_location, e);
        }

        if (filled != length)
        {
            target.Span.Clear();
            throw await _chunk.CutShortAsync(_location, _objectEnd, $"{filled} of {length} bytes at block {block}", cancellationToken);
        }

        if (!_chunk.Verify(block, target.Span))
        {
            target.Span.Clear();
            throw _chunk.Corrupt(_location, $"block {block} does not match its hash");
        }

        NextBlock = block + 1;
        if (file is not null)
        {
            LastRegion = new FileRegion(file.Handle, file.Start + at, length);
        }

        return length;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
    }
}
